"""Publish the BI-facing tables of a successful dbt build, atomically, then commit the build.

`dbt build` writes to a private build database (settings.warehouse_path()) that no BI
tool opens. After a build whose models and tests all succeeded, the models tagged
`published` are copied into a complete new DuckDB file next to the published one
(same folder, temporary name), which is then fsynced and moved into place with
os.replace. Readers that already have the published file open keep reading their old
snapshot; processes that open it afterwards see the new one. The published file is
never written in place, so a dashboard holding it open (DuckDB read-only connections
take a shared lock) never blocks a build, and never sees half a build.

Only a published build is committed (commit_build): its scores join the durable score
history and its outreach list is written to the export folder. A build that failed, or whose
publish failed or was killed, leaves no trace in either.
"""

import datetime as dt
import hashlib
import json
import os
import stat
import sys
import time
import uuid
from pathlib import Path

import duckdb

from leadscore import locks, paths, project
from leadscore.dbt_runner import dbt_in_process
from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT, warehouse_path

PUBLISH_TAG = "published"
# The defaults of the repository root's project; another project's are inside its folder.
DEFAULT_PUBLISHED_PATH = project.published_path(PROJECT_ROOT)
DEFAULT_TARGET_PATH = project.target_path(PROJECT_ROOT)
# Statuses of a run_results entry that mean "this node ran and is good".
OK_STATUSES = {"success", "pass", "warn", "no-op"}
# Where the build database records the dbt invocation that last wrote it (engine macro
# record_build_invocation).
BUILD_INVOCATION_TABLE = "leadscore_build_invocation"
# Resource types whose tagged nodes are published (tables/views in the build database).
PUBLISHABLE_TYPES = {"model", "seed", "snapshot"}
# Tables the publisher writes itself; a published model must not use these names.
INFO_TABLE = "publish_info"
TABLES_TABLE = "published_tables"
# The engine's per-file accounting, whose source_file column names the raw files read.
SUMMARY_TABLE = "data_quality_summary"
# A build of a project with the lead-scoring engine is committed after publishing.
COMMIT_NODE = "model.leadscore.lead_score_history_committed"
# Aliases inside the publishing connection (the build database is attached under the
# catalog name dbt used, so views inside it resolve exactly as they do for dbt).
_OUT = "__leadscore_publish_out"


def add_arguments(parser):
    project.add_argument(parser)
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="build database written by dbt (default: $LEADSCORE_DB or "
        "<project>/build/lead_scoring_build.duckdb)",
    )
    parser.add_argument(
        "--target-path",
        type=Path,
        default=None,
        help="dbt target folder of the build (manifest.json, run_results.json; "
        "default: <project>/target)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="published database for BI tools, replaced whole: an existing file there must be "
        "a published snapshot (default: <project>/published/lead_scoring.duckdb)",
    )
    add_storage_version_argument(parser)


def add_storage_version_argument(parser):
    parser.add_argument(
        "--storage-version",
        default=None,
        help="DuckDB storage format of the published file, e.g. v1.0.0 so BI tools "
        "bundling an older DuckDB can open it (default: this DuckDB's default)",
    )


def run(args) -> int:
    project_dir = Path(args.project_dir).absolute()
    db = Path(args.db or warehouse_path(project_dir)).absolute()
    target = Path(args.target_path or project.target_path(project_dir)).absolute()
    out = Path(args.out or project.published_path(project_dir)).absolute()
    check_build_database(db)
    check_published_path(out)
    check_build_db_free(db, out)
    with locks.exclusive(db, f"the build database {db}"):
        info = publish(
            db,
            target,
            out,
            project_dir=project_dir,
            storage_version=args.storage_version,
        )
        print(format_summary(info))
        if COMMIT_NODE in _load_json(target / "manifest.json", "dbt manifest").get("nodes", {}):
            run_results = _load_json(target / "run_results.json", "dbt run results")
            commit_build(
                db,
                target,
                build_vars(run_results),
                build_date(run_results),
                project_dir=project_dir,
            )
            print("committed (lead_score_history, outreach list)")
    return 0


def format_summary(info) -> str:
    lines = [
        f"published {len(info['tables'])} tables to {info['out']} "
        f"in {info['seconds']:.2f}s (dbt invocation {info['invocation_id']})"
    ]
    for t in info["tables"]:
        lines.append(f"  {t['table_name']}: {t['row_count']} rows")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- artifacts


def _load_json(path: Path, what: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise UserError(
            f"{what} not found: {path} (run `dbt build` / `leadscore build` first)"
        ) from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{what} is not valid JSON: {path} ({exc})") from None


def load_build(target_path: Path, action="publish", outcome="nothing published"):
    """(manifest, run_results) of target_path; UserError unless they are one successful
    `dbt build`. action / outcome: what is refused, for the message ("train", "nothing trained")."""
    manifest = _load_json(target_path / "manifest.json", "dbt manifest")
    run_results = _load_json(target_path / "run_results.json", "dbt run results")
    check_run_results(run_results, manifest, action, outcome)
    return manifest, run_results


def check_run_results(
    run_results: dict, manifest: dict, action="publish", outcome="nothing published"
) -> None:
    """Raise UserError unless the run was a `dbt build` in which every node succeeded."""
    run_meta = run_results.get("metadata", {})
    man_meta = manifest.get("metadata", {})
    if run_meta.get("invocation_id") != man_meta.get("invocation_id"):
        raise UserError(
            "target/run_results.json and target/manifest.json come from different dbt runs "
            f"({run_meta.get('invocation_id')} vs {man_meta.get('invocation_id')}); "
            f"{action} needs the artifacts of one `dbt build`"
        )
    which = (run_results.get("args") or {}).get("which")
    if which is not None and which != "build":
        raise UserError(
            f"the last dbt run was `dbt {which}`, not `dbt build`: "
            f"{action} only after a build that ran models and tests"
        )
    results = run_results.get("results") or []
    if not results:
        raise UserError(f"run_results.json lists no nodes: nothing was built, nothing to {action}")
    bad = [
        (r.get("unique_id"), r.get("status")) for r in results if r.get("status") not in OK_STATUSES
    ]
    if bad:
        shown = ", ".join(f"{uid} ({status})" for uid, status in bad[:10])
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise UserError(
            f"dbt build did not succeed: {len(bad)} node(s) failed or were skipped: "
            f"{shown}{more}; {outcome}"
        )


def published_nodes(manifest: dict, run_results: dict) -> list:
    """The enabled nodes tagged `published`, each of which must have succeeded in this run."""
    nodes = []
    for uid, node in sorted((manifest.get("nodes") or {}).items()):
        if node.get("resource_type") not in PUBLISHABLE_TYPES:
            continue
        if PUBLISH_TAG not in (node.get("tags") or []):
            continue
        config = node.get("config") or {}
        if not config.get("enabled", True) or config.get("materialized") == "ephemeral":
            continue
        nodes.append(
            {
                "unique_id": uid,
                "database": node.get("database"),
                "schema": node.get("schema") or "main",
                "identifier": node.get("alias") or node["name"],
            }
        )
    if not nodes:
        raise UserError(
            f"no enabled model is tagged '{PUBLISH_TAG}' in manifest.json: nothing to publish"
        )
    check_made_in_build(manifest, run_results, [n["unique_id"] for n in nodes])
    names = [n["identifier"].lower() for n in nodes]
    dupes = sorted(
        {x for x in names if names.count(x) > 1} | ({INFO_TABLE, TABLES_TABLE} & set(names))
    )
    if dupes:
        raise UserError(f"published table names collide: {', '.join(dupes)}")
    databases = {n["database"] for n in nodes}
    if len(databases) != 1:
        raise UserError(f"published models span several databases: {sorted(map(str, databases))}")
    return nodes


def check_made_in_build(
    manifest: dict, run_results: dict, uids: list, action="publish", outcome="nothing published"
) -> None:
    """UserError unless the models `uids`, everything they are made from and the tests of
    those ran and passed in this build (_not_built_from_scratch)."""
    ran = {r.get("unique_id"): r.get("status") for r in run_results.get("results") or []}
    missing = _not_built_from_scratch(manifest, ran, uids)
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if missing[10:] else "")
        raise UserError(
            "these models, models they are made from or tests of those did not run in this dbt "
            f"build (was it run with --select?): {shown}; {action} needs them built from the "
            f"raw files in one build, {outcome}"
        )


def _not_built_from_scratch(manifest: dict, ran: dict, uids: list) -> list:
    """The nodes `uids` are made from (models, seeds, snapshots, themselves included) and the
    data tests of those, that did not run and pass in this build: a `--select` of the marts
    alone would publish them over last week's staging. The engine's built_and_tested applies
    the same rule to the commit of a plain `dbt build`."""
    nodes = manifest.get("nodes") or {}
    upstream, frontier = set(), list(uids)
    while frontier:
        uid = frontier.pop()
        if uid in upstream:
            continue
        upstream.add(uid)
        deps = (nodes[uid].get("depends_on") or {}).get("nodes") or []
        frontier += [d for d in deps if nodes.get(d, {}).get("resource_type") in PUBLISHABLE_TYPES]
    tests = set()
    for uid, node in nodes.items():
        parents = [d for d in (node.get("depends_on") or {}).get("nodes") or [] if d in nodes]
        if node.get("resource_type") == "test" and parents and set(parents) <= upstream:
            tests.add(uid)
    ephemeral = {
        u for u in upstream if nodes[u].get("config", {}).get("materialized") == "ephemeral"
    }
    # an ephemeral model never runs (its SQL is inlined into its children): not missing
    return sorted(u for u in (upstream - ephemeral) | tests if ran.get(u) not in OK_STATUSES)


def run_var(run_results: dict, name: str, project_dir: Path = PROJECT_ROOT):
    """A var of the run: --vars if given, else the project default.

    None when neither sets it. Raises UserError (nothing is published) when the --vars text
    recorded in run_results.json or the project's dbt_project.yml cannot be read or parsed:
    the provenance recorded in publish_info must not silently turn into NULL.
    """
    vars_ = build_vars(run_results)
    if vars_.get(name) not in (None, ""):
        return str(vars_[name])
    try:
        value = project.default_var(project_dir, name)
    except UserError as exc:
        raise UserError(f"{exc}; nothing published") from None
    return None if value is None else str(value)


# ----------------------------------------------------------------------------- committing


def commit_build(
    db_path, target_path, vars_=None, export_date=None, *, project_dir=PROJECT_ROOT, manifest=None
) -> None:
    """Commit a published build: its scores join the durable score history and its outreach
    list is written to the export folder (dbt macro leadscore.commit_build, one transaction for
    the history, an atomic file replace for the list). Call it only after publish() succeeded,
    holding the build database's lock. manifest: the build's parse, when at hand."""
    _remove_stale_exports(vars_, project_dir)
    args = {"export_date": export_date} if export_date else {}
    result = dbt_in_process(
        ["run-operation", "leadscore.commit_build", "--args", json.dumps(args), "--no-write-json"],
        db_path=db_path,
        target_path=target_path,
        vars=vars_,
        project_dir=project_dir,
        manifest=manifest,
        check=False,
    )
    if result.returncode != 0:
        raise UserError(
            "the build was published, but committing its scores to lead_score_history and "
            f"writing the outreach list failed (run `leadscore publish` again):\n"
            f"{_tail(result.stdout)}{_tail(result.stderr)}"
        )


def build_vars(run_results: dict) -> dict:
    """The --vars the build ran with (dbt records them in run_results.json)."""
    import yaml

    vars_ = (run_results.get("args") or {}).get("vars") or {}
    if isinstance(vars_, str):  # older dbt versions keep the raw --vars text
        try:
            vars_ = yaml.safe_load(vars_) or {}
        except yaml.YAMLError as exc:
            raise UserError(
                f"run_results.json: the --vars text of the build is not valid YAML ({exc}); "
                "nothing published"
            ) from None
    return dict(vars_) if isinstance(vars_, dict) else {}


def build_date(run_results: dict):
    """YYYYMMDD (UTC) of the day the build started, for the export's file name."""
    started = _build_started_at(run_results)
    return started.strftime("%Y%m%d") if started else None


def _remove_stale_exports(vars_, project_dir) -> None:
    """DuckDB writes an export as tmp_<name> and renames it when complete; a killed export
    leaves the tmp_ file. One older than an hour belongs to no running export."""
    from leadscore.spark_export import export_dir_of

    cutoff = time.time() - 3600
    for stale in export_dir_of(vars_, project_dir).glob("tmp_outreach_list_*.csv"):
        if stale.stat().st_mtime < cutoff:
            _remove(stale)


def _tail(text, limit=3000) -> str:
    return (text or "")[-limit:]


# ----------------------------------------------------------------------------- publishing


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _table_with_column(con, build_alias: str, table: str, column: str):
    """The build's `table` (qualified, main schema first) when it has `column`, else None."""
    found = con.execute(
        "select schema_name from duckdb_columns() where database_name = ? and table_name = ? "
        "and column_name = ? order by schema_name = 'main' desc limit 1",
        [build_alias, table, column],
    ).fetchone()
    return f"{_q(build_alias)}.{_q(found[0])}.{_q(table)}" if found else None


def _model_version(con, build_alias: str):
    """model_version of the build: active_model first, else lead_scores; NULL if neither."""
    for table in ("active_model", "lead_scores"):
        relation = _table_with_column(con, build_alias, table, "model_version")
        if relation:
            versions = [
                r[0]
                for r in con.execute(
                    f"select distinct model_version from {relation} "
                    "where model_version is not null order by 1"
                ).fetchall()
            ]
            if versions:
                return ",".join(map(str, versions))
    return None


def _scoring_moment(con, build_alias: str):
    """The feature_as_of of the build's lead_scores (the moment its scores describe), or None."""
    relation = _table_with_column(con, build_alias, "lead_scores", "feature_as_of")
    if relation is None:
        return None
    return con.execute(f"select max(feature_as_of) from {relation}").fetchone()[0]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def publish(
    db_path, target_path, out_path, *, project_dir=PROJECT_ROOT, storage_version=None
) -> dict:
    """Copy the `published` models of a successful build into out_path, atomically.

    Raises UserError (and leaves out_path untouched) when the build did not succeed or
    the artifacts do not fit. Returns a summary dict.
    """
    started = time.perf_counter()
    db_path, target_path, out_path = Path(db_path), Path(target_path), Path(out_path)
    manifest, run_results = load_build(target_path)
    _check_project(manifest, project_dir, target_path)
    nodes = published_nodes(manifest, run_results)
    check_build_database(db_path)
    if db_path.resolve() == out_path.resolve():
        raise UserError("the published file must not be the build database")
    check_published_path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(out_path, f"the published file {out_path}"):
        _remove_stale_temp_files(out_path)
        tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            info = _write_snapshot(db_path, tmp, nodes, run_results, project_dir, storage_version)
            _replace_durably(tmp, out_path)
        finally:
            _remove(tmp)
            _remove(tmp.with_name(tmp.name + ".wal"))
    return {
        "out": str(out_path),
        "tables": info["tables"],
        "invocation_id": info["dbt_invocation_id"],
        "model_version": info["model_version"],
        "raw_files": info["raw_files"],
        "seconds": time.perf_counter() - started,
    }


def _check_project(manifest: dict, project_dir, target_path: Path) -> None:
    """The build in target_path is of the project publish works on: the commit after publishing
    runs with that project's vars (its export folder, its as-of)."""
    built = (manifest.get("metadata") or {}).get("project_name")
    expected = project.project_name(project_dir)
    if built is not None and built != expected:
        raise UserError(
            f"{target_path} holds a build of the dbt project {built!r}, not of {expected!r} "
            f"({project_dir}): pass that project's folder as --project-dir"
        )


def check_build_database(db_path: Path) -> None:
    """--db of a publish: an existing DuckDB database file."""
    paths.check_database_path(db_path, "--db")
    if not db_path.is_file():
        raise UserError(f"build database not found: {db_path}")


def check_build_db_free(db: Path, out) -> None:
    """Fail early, with advice, when another process holds the build database open: dbt, or
    the commit after publishing, would fail on its lock (`out`: the published file, named)."""
    try:
        duckdb.connect(str(db)).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise UserError(
            f"the build database {db} is open in another process ({exc}). "
            f"Only dbt may open it: point BI tools and notebooks at {out} "
            "(read-only) instead, close that process, and try again"
        ) from None


def check_published_path(out_path: Path) -> None:
    """--out of a publish (and of a build, before dbt runs): a path that is free or holds a
    published snapshot, which publishing replaces whole. Anything else would be destroyed."""
    paths.check_file_path(out_path, "--out")
    wal = out_path.with_name(out_path.name + ".wal")
    if wal.exists():
        # Read-only readers never create a WAL: someone opened the published file for
        # writing. Replacing the file under its WAL would pair the WAL with a new file.
        raise UserError(
            f"{wal} exists: the published file was opened read-write by some tool. "
            "Close it (BI tools must open it read-only), remove the .wal, and publish again"
        )
    if out_path.exists() and not (
        paths.is_duckdb_file(out_path, "--out") and _has_publish_info(out_path)
    ):
        raise UserError(
            f"--out {out_path} exists and is not a published snapshot (a DuckDB file with a "
            f"{INFO_TABLE} table): refusing to replace it; move it away or choose another path"
        )


def _has_publish_info(out_path: Path) -> bool:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_lit(out_path)} AS {_q(_OUT)} (READ_ONLY)")
        return bool(
            con.execute(
                "select count(*) from duckdb_tables() where database_name = ? "
                "and schema_name = 'main' and table_name = ?",
                [_OUT, INFO_TABLE],
            ).fetchone()[0]
        )
    except duckdb.Error as exc:  # e.g. a tool holds it open read-write
        raise UserError(
            f"--out {out_path}: cannot open it to check it is published: {exc}"
        ) from None
    finally:
        con.close()


def _remove_stale_temp_files(out_path: Path) -> None:
    """Temp files of a publish that was killed: with the published file's lock held, no other
    publish is running, so every temp file next to it is garbage."""
    for pattern in (f".{out_path.name}.*.tmp", f".{out_path.name}.*.tmp.wal"):
        for stale in out_path.parent.glob(pattern):
            _remove(stale)


def _replace_durably(tmp: Path, out_path: Path) -> None:
    """Move the complete snapshot over the published file in one atomic, durable step."""
    if tmp.with_name(tmp.name + ".wal").exists():  # a clean checkpoint + close leaves none
        raise RuntimeError(f"DuckDB left a WAL next to {tmp}; not publishing")
    try:  # keep the permissions an admin gave the published file (e.g. group-readable)
        os.chmod(tmp, stat.S_IMODE(out_path.stat().st_mode))
    except FileNotFoundError:
        pass
    _fsync(tmp)
    os.replace(tmp, out_path)
    try:
        _fsync(out_path.parent)  # make the rename itself durable
    except OSError:
        pass


def _write_snapshot(db_path, tmp, nodes, run_results, project_dir, storage_version) -> dict:
    """Write the published tables, publish_info and published_tables into the new file `tmp`."""
    build_alias = nodes[0]["database"] or db_path.stem
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"ATTACH {_lit(db_path)} AS {_q(build_alias)} (READ_ONLY)")
        except duckdb.IOException as exc:  # e.g. a dbt build is writing it right now
            raise UserError(f"cannot read the build database {db_path}: {exc}") from None
        options = f" (STORAGE_VERSION {_lit(storage_version)})" if storage_version else ""
        try:
            con.execute(f"ATTACH {_lit(tmp)} AS {_q(_OUT)}{options}")
        except duckdb.Error as exc:
            if storage_version:
                raise UserError(f"--storage-version {storage_version}: {exc}") from None
            raise
        _check_written_by(con, build_alias, run_results, db_path)
        con.execute("BEGIN TRANSACTION")
        tables = [_copy_table(con, build_alias, node, db_path) for node in nodes]
        info = _publish_info(con, build_alias, db_path, nodes, tables, run_results, project_dir)
        _write_info_tables(con, info, tables)
        con.execute("COMMIT")
        con.execute(f"CHECKPOINT {_q(_OUT)}")
        con.execute(f"DETACH {_q(_OUT)}")
        con.execute(f"DETACH {_q(build_alias)}")
    finally:
        con.close()
    return {**info, "tables": tables}


def check_database_written_by(db_path: Path, run_results: dict) -> None:
    """_check_written_by for a reader of the build database (train)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_lit(db_path)} AS build (READ_ONLY)")
        _check_written_by(con, "build", run_results, db_path)
    except duckdb.Error as exc:
        raise UserError(f"cannot read the build database {db_path}: {exc}") from None
    finally:
        con.close()


def _check_written_by(con, build_alias, run_results, db_path) -> None:
    """The build database was last written by the build whose run_results.json is read (engine
    macro record_build_invocation records it): otherwise a build was killed half-way, leaving
    the last build's results beside half-rebuilt tables, or --db and --target-path belong to
    different builds. Either way the tables are not that build's."""
    build_id = (run_results.get("metadata") or {}).get("invocation_id")
    recorded = con.execute(
        "select schema_name from duckdb_tables() where database_name = ? and table_name = ?",
        [build_alias, BUILD_INVOCATION_TABLE],
    ).fetchall()
    written_by = None
    if len(recorded) == 1:
        table = f"{_q(build_alias)}.{_q(recorded[0][0])}.{_q(BUILD_INVOCATION_TABLE)}"
        written_by = con.execute(f"select invocation_id from {table}").fetchone()[0]
    if written_by != build_id:
        raise UserError(
            f"the build database {db_path} was last written by dbt invocation {written_by}, not "
            f"by the build whose results are read ({build_id}): a later dbt run did not finish "
            "(killed?), or --db and --target-path belong to different builds. Build again"
        )


def _copy_table(con, build_alias, node, db_path) -> dict:
    src = f"{_q(build_alias)}.{_q(node['schema'])}.{_q(node['identifier'])}"
    dst = f"{_q(_OUT)}.main.{_q(node['identifier'])}"
    try:
        con.execute(f"CREATE TABLE {dst} AS SELECT * FROM {src}")
    except duckdb.CatalogException as exc:
        raise UserError(
            f"{node['unique_id']} is tagged '{PUBLISH_TAG}' but "
            f"{node['schema']}.{node['identifier']} is not in {db_path}: {exc}"
        ) from None
    _copy_comments(con, build_alias, node, dst)
    rows = con.execute(f"SELECT count(*) FROM {dst}").fetchone()[0]
    cols = len(con.execute(f"DESCRIBE {dst}").fetchall())
    return {
        "table_name": node["identifier"],
        "source_model": node["unique_id"],
        "row_count": rows,
        "column_count": cols,
    }


def _publish_info(con, build_alias, db_path, nodes, tables, run_results, project_dir) -> dict:
    meta = run_results.get("metadata", {})
    return {
        "published_at": dt.datetime.now(dt.UTC),
        "build_database": str(db_path.resolve()),
        "dbt_invocation_id": meta.get("invocation_id"),
        "dbt_generated_at": meta.get("generated_at"),
        "dbt_version": meta.get("dbt_version"),
        "model_version": _model_version(con, build_alias),
        "raw_data_path": run_var(run_results, "raw_data_path", project_dir),
        # a backfill (var as_of set) publishes like any build: say so, and as of when
        "as_of_var": run_var(run_results, "as_of", project_dir) or None,
        "feature_as_of": _scoring_moment(con, build_alias),
        "table_count": len(tables),
        "raw_files": raw_files_read(con, build_alias, nodes, run_results, project_dir),
    }


def _write_info_tables(con, info, tables) -> None:
    con.execute(f"""CREATE TABLE {_q(_OUT)}.main.{INFO_TABLE} (
        published_at TIMESTAMPTZ, build_database VARCHAR, dbt_invocation_id VARCHAR,
        dbt_generated_at TIMESTAMPTZ, dbt_version VARCHAR, model_version VARCHAR,
        raw_data_path VARCHAR, as_of_var VARCHAR, feature_as_of TIMESTAMP, table_count INTEGER,
        raw_files STRUCT(raw_file VARCHAR, path VARCHAR, bytes BIGINT, sha256 VARCHAR)[])""")
    con.execute(
        f"INSERT INTO {_q(_OUT)}.main.{INFO_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        list(info.values()),
    )
    con.execute(
        f"COMMENT ON TABLE {_q(_OUT)}.main.{INFO_TABLE} IS "
        f"{_lit('One row describing the dbt build this file was published from.')}"
    )
    con.execute(
        f"COMMENT ON COLUMN {_q(_OUT)}.main.{INFO_TABLE}.raw_files IS "
        f"{_lit('The raw files the build read: contract name, path, size in bytes and sha256.')}"
    )
    con.execute(f"""CREATE TABLE {_q(_OUT)}.main.{TABLES_TABLE} (
        table_name VARCHAR, source_model VARCHAR, row_count BIGINT, column_count INTEGER)""")
    con.executemany(
        f"INSERT INTO {_q(_OUT)}.main.{TABLES_TABLE} VALUES (?, ?, ?, ?)",
        [list(t.values()) for t in tables],
    )
    con.execute(
        f"COMMENT ON TABLE {_q(_OUT)}.main.{TABLES_TABLE} IS "
        f"{_lit('The tables of this published snapshot and their row counts.')}"
    )


# ----------------------------------------------------------------------------- raw files


def raw_files_read(con, build_alias, nodes, run_results, project_dir) -> list:
    """The raw files the build read (data_quality_summary.source_file), each with its size
    and sha256 - exactly the files, never a pattern. Raises UserError (nothing published)
    when one is gone or was modified after the build started reading: the provenance would
    be false. Empty when the build has no data_quality_summary."""
    summary = next((n for n in nodes if n["identifier"] == SUMMARY_TABLE), None)
    if summary is None:
        return []
    rows = con.execute(
        f"SELECT raw_file, source_file FROM {_q(build_alias)}.{_q(summary['schema'])}.{_q(SUMMARY_TABLE)} "
        "WHERE source_file IS NOT NULL ORDER BY raw_file"
    ).fetchall()
    started = _build_started_at(run_results)
    files = []
    for raw_file, source_file in rows:
        path = Path(source_file).expanduser()  # DuckDB reads `~/...` as the home folder too
        if not path.is_absolute():
            path = Path(project_dir) / path
        if not path.is_file():
            raise UserError(
                f"raw file {source_file} read by the build no longer exists; nothing published"
            )
        _check_unchanged_since(path, started)
        files.append(
            {
                "raw_file": raw_file,
                "path": str(path.resolve()),
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
            }
        )
    return files


def _check_unchanged_since(path: Path, started) -> None:
    """Refuse a raw file modified after the build started reading it (the provenance would be
    false). A modification time in the future (a clock ahead, a copy keeping a remote machine's
    times) says nothing either way, and building again would not change it: say so."""
    if started is None:
        return
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    now = dt.datetime.now(dt.UTC)
    if modified > now:
        raise UserError(
            f"raw file {path} has a modification time in the future ({modified:%Y-%m-%d %H:%M:%S} "
            f"UTC; this machine's clock says {now:%H:%M:%S}), so whether it changed during the "
            "build cannot be told: fix its time (e.g. `touch` it) and build again; nothing published"
        )
    if modified > started:
        raise UserError(
            f"raw file {path} was modified after the build started reading it; "
            "build again, nothing published"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _build_started_at(run_results: dict):
    text = (run_results.get("metadata") or {}).get("invocation_started_at")
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _copy_comments(con, build_alias, node, dst) -> None:
    """Carry the table comment and column comments (dbt persist_docs) over."""
    row = con.execute(
        "select comment from duckdb_tables() where database_name = ? and schema_name = ? and table_name = ? "
        "union all select comment from duckdb_views() where database_name = ? and schema_name = ? and view_name = ?",
        [build_alias, node["schema"], node["identifier"]] * 2,
    ).fetchone()
    if row and row[0]:
        con.execute(f"COMMENT ON TABLE {dst} IS {_lit(row[0])}")
    for column, comment in con.execute(
        "select column_name, comment from duckdb_columns() where database_name = ? and schema_name = ? "
        "and table_name = ? and comment is not null and comment <> '' order by column_index",
        [build_alias, node["schema"], node["identifier"]],
    ).fetchall():
        con.execute(f"COMMENT ON COLUMN {dst}.{_q(column)} IS {_lit(comment)}")


if __name__ == "__main__":  # pragma: no cover
    from leadscore.cli import main

    sys.exit(main(["publish", *sys.argv[1:]]))
