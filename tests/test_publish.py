"""Publishing for BI tools: real DuckDB files, real reader processes, no mocks.

The core tests build a small dbt-like setup (a build database + manifest.json and
run_results.json shaped like dbt 1.11 writes them); the end-to-end tests run the real
`leadscore build` on the project.
"""

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import duckdb
import pytest
from conftest import LEADSCORE, NO_UNIT_TESTS, DbtProject
from leadscore_cli import leadscore_in_process

from leadscore import locks
from leadscore.cli import main
from leadscore.errors import UserError
from leadscore.publish import publish
from leadscore.settings import DEFAULT_ARTIFACT_DIR, DEFAULT_SAMPLE_DIR, PROJECT_ROOT

# A reader process, like a dashboard: opens the published file read-only, reads, says
# "ready", waits for "go", then reads the given tables completely and prints what it saw.
READER = textwrap.dedent("""
    import json, sys, time, duckdb
    path, ready, go = sys.argv[1:4]
    con = duckdb.connect(path, read_only=True)
    first = con.execute("select count(*) from publish_info").fetchone()[0]
    inv1 = con.execute("select dbt_invocation_id from publish_info").fetchone()[0]
    open(ready, "w").close()
    deadline = time.time() + 120
    while not __import__("os").path.exists(go):
        if time.time() > deadline:
            sys.exit("no go signal")
        time.sleep(0.05)
    out = {"info_rows": first, "invocation_before": inv1}
    for table in sys.argv[4:]:
        # every row of every column is read: count and an order-independent checksum
        out[table] = list(con.execute(f'select count(*), sum(hash(t))::varchar from "{table}" t').fetchone())
    out["invocation_after"] = con.execute("select dbt_invocation_id from publish_info").fetchone()[0]
    con.close()
    print(json.dumps(out))
""")


CHECKSUM = 'select count(*), sum(hash(t))::varchar from "{table}" t'


class FakeBuild:
    """A build database plus the dbt artifacts of one `dbt build` invocation."""

    def __init__(self, root: Path):
        self.root = root
        self.db = root / "build" / "toybuild.duckdb"
        self.target = root / "target"
        self.out = root / "published" / "lead_scoring.duckdb"
        self.db.parent.mkdir(parents=True, exist_ok=True)
        self.target.mkdir(parents=True, exist_ok=True)

    def build(
        self,
        leads=1000,
        version="linkedin_sample-abc123",
        failing_test=False,
        extra_nodes=None,
        which="build",
        vars=None,
    ):
        """(Re)write the build database and the artifacts, as a dbt build would."""
        invocation = str(uuid.uuid4())
        with duckdb.connect(str(self.db)) as con:
            # what the engine's on-run-start hook record_build_invocation writes
            con.execute(
                "create or replace table leadscore_build_invocation as select ? as invocation_id",
                [invocation],
            )
            con.execute(
                "create or replace table lead_scores as select 'L' || lpad(i::varchar, 7, '0') as lead_id, "
                "(i % 997) / 997.0 as engagement_score, ? as model_version from range(?) t(i)",
                [version, leads],
            )
            con.execute("comment on table lead_scores is 'One row per lead: its calibrated score.'")
            con.execute(
                "comment on column lead_scores.engagement_score is "
                "'Calibrated probability of a response. It''s the score BI shows.'"
            )
            con.execute(
                "create or replace table active_model as select ? as model_version", [version]
            )
            con.execute(
                "create or replace table data_quality_issues as select 'leads' as source, "
                "'dup' as issue from range(3)"
            )
            con.execute(
                "create or replace table stg_leads as select * from range(10)"
            )  # not published
            con.execute(
                "create or replace view top_leads as select * from lead_scores order by "
                "engagement_score desc limit 10"
            )
        nodes = {}
        results = []
        models = {
            "lead_scores": ["published"],
            "active_model": ["published"],
            "data_quality_issues": ["published"],
            "stg_leads": [],
            "top_leads": ["published"],
        }
        models.update(extra_nodes or {})
        for name, tags in models.items():
            uid = f"model.lead_scoring.{name}"
            nodes[uid] = {
                "resource_type": "model",
                "name": name,
                "alias": name,
                "schema": "main",
                "database": "toybuild",
                "tags": tags,
                "config": {
                    "enabled": True,
                    "materialized": "view" if name == "top_leads" else "table",
                    "tags": tags,
                },
            }
            results.append({"unique_id": uid, "status": "success"})
        test_uid = "test.lead_scoring.unique_lead_scores_lead_id.1a2b3c"
        nodes[test_uid] = {
            "resource_type": "test",
            "name": "unique_lead_scores_lead_id",
            "schema": "main_dbt_test__audit",
            "database": "toybuild",
            "tags": [],
            "config": {"enabled": True},
        }
        results.append(
            {
                "unique_id": test_uid,
                "status": "fail" if failing_test else "pass",
                "failures": 2 if failing_test else 0,
            }
        )
        nodes["model.lead_scoring.disabled_mart"] = {
            "resource_type": "model",
            "name": "disabled_mart",
            "alias": "disabled_mart",
            "schema": "main",
            "database": "toybuild",
            "tags": ["published"],
            "config": {"enabled": False},
        }
        meta = {
            "dbt_version": "1.11.16",
            "invocation_id": invocation,
            "generated_at": "2026-11-26T06:54:09.687132Z",
        }
        (self.target / "manifest.json").write_text(json.dumps({"metadata": meta, "nodes": nodes}))
        (self.target / "run_results.json").write_text(
            json.dumps(
                {
                    "metadata": meta,
                    "results": results,
                    "elapsed_time": 1.0,
                    "args": {
                        "which": which,
                        "vars": {"raw_data_path": "/data/leads_2026_11", **(vars or {})},
                    },
                }
            )
        )
        return invocation

    def publish(self):
        return publish(self.db, self.target, self.out)


@pytest.fixture
def fake(tmp_path):
    return FakeBuild(tmp_path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, sql: str):
    return _counts(path, [sql])[0]


def _counts(path: Path, sqls):
    """Each query's rows, read in one separate process: inside this one DuckDB would reuse an
    open database by path."""
    code = (
        "import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(json.dumps([con.execute(q).fetchall() for q in sys.argv[2:]], default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), *sqls], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def _start_reader(path: Path, workdir: Path, tables):
    ready, go = workdir / f"ready-{uuid.uuid4().hex}", workdir / f"go-{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [sys.executable, "-c", READER, str(path), str(ready), str(go), *tables],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while not ready.exists():
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise AssertionError(f"reader did not start: {proc.communicate()}")
        time.sleep(0.05)
    return proc, go


def _finish_reader(proc, go):
    go.touch()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    return json.loads(stdout)


def _leftovers(folder: Path):
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".wal")
    )


@pytest.mark.fast
def test_publish_with_reader_open_in_another_process(fake, tmp_path):
    first = fake.build(leads=200_000, version="v1")
    fake.publish()
    old = _count(fake.out, CHECKSUM.format(table="lead_scores"))[0]
    # A dashboard holds the published file open read-only, in another process.
    reader, go = _start_reader(fake.out, tmp_path, ["lead_scores"])
    try:
        second = fake.build(leads=300_000, version="v2")
        info = fake.publish()  # must not be blocked by the reader's lock
    finally:
        seen = _finish_reader(reader, go)
    assert {t["table_name"]: t["row_count"] for t in info["tables"]}["lead_scores"] == 300_000
    # The open reader read its old snapshot completely and consistently ...
    assert old[0] == 200_000
    assert seen == {
        "info_rows": 1,
        "invocation_before": first,
        "lead_scores": old,
        "invocation_after": first,
    }
    # ... and a process that opens the file now sees the new one.
    assert _count(
        fake.out, "select count(*), min(model_version), max(model_version) from lead_scores"
    ) == [[300_000, "v2", "v2"]]
    assert _count(fake.out, "select dbt_invocation_id from publish_info") == [[second]]
    assert _leftovers(fake.out.parent) == []


@pytest.mark.fast
def test_failing_test_publishes_nothing(fake):
    fake.build(version="v1")
    fake.publish()
    before = _digest(fake.out)
    stat = fake.out.stat()
    fake.build(leads=5, version="v2", failing_test=True)
    with pytest.raises(UserError, match=r"did not succeed.*unique_lead_scores_lead_id.*\(fail\)"):
        fake.publish()
    assert _digest(fake.out) == before
    assert fake.out.stat().st_ino == stat.st_ino
    assert _leftovers(fake.out.parent) == []
    assert _count(fake.out, "select distinct model_version from lead_scores") == [["v1"]]


@pytest.mark.fast
def test_first_publish_after_failed_build_creates_nothing(fake):
    fake.build(failing_test=True)
    with pytest.raises(UserError):
        fake.publish()
    assert not fake.out.exists()
    assert not fake.out.parent.exists() or _leftovers(fake.out.parent) == []


@pytest.mark.fast
@pytest.mark.parametrize(
    "case",
    [
        "model_error",
        "skipped",
        "dbt_run_only",
        "stale_run_results",
        "published_model_not_built",
        "published_table_missing",
    ],
)
def test_refusals_leave_previous_file_intact(fake, case):
    fake.build(version="v1")
    fake.publish()
    before = _digest(fake.out)
    fake.build(
        version="v2",
        which="run" if case == "dbt_run_only" else "build",
        extra_nodes={"ghost_mart": ["published"]} if case == "published_table_missing" else None,
    )
    rr_path = fake.target / "run_results.json"
    rr = json.loads(rr_path.read_text())
    if case == "model_error":
        rr["results"][0]["status"] = "error"
    elif case == "skipped":
        rr["results"][1]["status"] = "skipped"
    elif case == "stale_run_results":
        rr["metadata"]["invocation_id"] = str(uuid.uuid4())
    elif case == "published_model_not_built":  # e.g. dbt build --select stg_leads
        rr["results"] = [
            r for r in rr["results"] if r["unique_id"] != "model.lead_scoring.lead_scores"
        ]
    rr_path.write_text(json.dumps(rr))
    with pytest.raises(UserError):
        fake.publish()
    assert _digest(fake.out) == before
    assert _leftovers(fake.out.parent) == []


@pytest.mark.fast
def test_publish_info_and_comments(fake):
    invocation = fake.build(leads=1234, version="linkedin_sample-0123456789")
    fake.publish()
    info = _count(
        fake.out,
        "select build_database, dbt_invocation_id, "
        "dbt_generated_at = '2026-11-26T06:54:09.687132Z'::timestamptz, model_version, "
        "raw_data_path, as_of_var, feature_as_of, table_count, dbt_version, "
        "published_at > now() - interval 10 minute from publish_info",
    )
    assert info == [
        [
            str(fake.db.resolve()),
            invocation,
            True,
            "linkedin_sample-0123456789",
            "/data/leads_2026_11",
            None,  # not a backfill
            None,  # this toy build's lead_scores has no feature_as_of
            4,
            "1.11.16",
            True,
        ]
    ]
    fake.build(leads=1234, vars={"as_of": "2026-08-16"})  # a backfill publishes, saying so
    fake.publish()
    assert _count(fake.out, "select as_of_var from publish_info") == [["2026-08-16"]]
    assert _count(
        fake.out, "select table_name, source_model, row_count from published_tables order by 1"
    ) == [
        ["active_model", "model.lead_scoring.active_model", 1],
        ["data_quality_issues", "model.lead_scoring.data_quality_issues", 3],
        ["lead_scores", "model.lead_scoring.lead_scores", 1234],
        ["top_leads", "model.lead_scoring.top_leads", 10],
    ]
    # Exactly the published models (views become tables) plus the two bookkeeping tables.
    assert _count(
        fake.out, "select table_name, table_type from information_schema.tables order by 1"
    ) == [
        ["active_model", "BASE TABLE"],
        ["data_quality_issues", "BASE TABLE"],
        ["lead_scores", "BASE TABLE"],
        ["publish_info", "BASE TABLE"],
        ["published_tables", "BASE TABLE"],
        ["top_leads", "BASE TABLE"],
    ]
    assert _count(
        fake.out, "select comment from duckdb_tables() where table_name = 'lead_scores'"
    ) == [["One row per lead: its calibrated score."]]
    assert _count(
        fake.out,
        "select column_name, comment from duckdb_columns() where table_name = 'lead_scores' "
        "and comment is not null",
    ) == [["engagement_score", "Calibrated probability of a response. It's the score BI shows."]]


@pytest.mark.fast
def test_model_version_null_without_model_tables(fake):
    fake.build()
    with duckdb.connect(str(fake.db)) as con:
        con.execute("alter table lead_scores drop column model_version")
        con.execute("drop table active_model")
    manifest = json.loads((fake.target / "manifest.json").read_text())
    rr = json.loads((fake.target / "run_results.json").read_text())
    del manifest["nodes"]["model.lead_scoring.active_model"]
    rr["results"] = [
        r for r in rr["results"] if r["unique_id"] != "model.lead_scoring.active_model"
    ]
    (fake.target / "manifest.json").write_text(json.dumps(manifest))
    (fake.target / "run_results.json").write_text(json.dumps(rr))
    fake.publish()
    assert _count(fake.out, "select model_version from publish_info") == [[None]]


@pytest.mark.fast
def test_storage_version_and_permissions(fake):
    fake.build()
    fake.publish()
    fake.out.chmod(0o640)
    fake.build(version="v2")
    publish(fake.db, fake.target, fake.out, storage_version="v1.0.0")
    assert fake.out.stat().st_mode & 0o777 == 0o640
    code = (
        "import duckdb, sys; con = duckdb.connect(); con.execute(f\"attach '{sys.argv[1]}' as p (read_only)\"); "
        "print(con.execute(\"select tags['storage_version'] from duckdb_databases() where database_name = 'p'\").fetchone()[0])"  # noqa: E501 (a Python program passed as one argument)
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(fake.out)], check=True, capture_output=True, text=True
    )
    assert out.stdout.strip() == "v1.0.0+"
    assert _count(fake.out, "select distinct model_version from lead_scores") == [["v2"]]


@pytest.mark.fast
def test_raw_files_are_checked_before_publishing(fake, tmp_path, monkeypatch):
    """publish_info records the raw files the build read; a file changed since is refused."""
    home = tmp_path / "home"
    leads = home / "raw" / "leads.csv"
    leads.parent.mkdir(parents=True)
    leads.write_text("lead_id\nL1\n")
    monkeypatch.setenv("HOME", str(home))
    fake.build(extra_nodes={"data_quality_summary": ["published"]})
    with duckdb.connect(str(fake.db)) as con:
        con.execute(
            "create table data_quality_summary as "
            "select 'leads' as raw_file, '~/raw/leads.csv' as source_file"
        )
    results = json.loads((fake.target / "run_results.json").read_text())
    started = time.time() - 60
    results["metadata"]["invocation_started_at"] = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)
    )
    (fake.target / "run_results.json").write_text(json.dumps(results))

    def modified(at):
        os.utime(leads, (at, at))

    modified(started - 3600)
    fake.publish()  # `~` is the home folder, as DuckDB read it
    assert _count(fake.out, "select unnest(raw_files).path from publish_info") == [[str(leads)]]
    modified(started + 30)
    with pytest.raises(UserError, match="was modified after the build started reading it"):
        fake.publish()
    # a clock ahead: building again would not help, and the message says what does
    modified(time.time() + 7200)
    with pytest.raises(UserError, match=r"modification time in the future .* fix its time"):
        fake.publish()


def _publish_cli(fake):
    """`leadscore publish` of the fake build, as a user runs it."""
    paths = ["--db", fake.db, "--target-path", fake.target, "--out", fake.out]
    return subprocess.run(
        [LEADSCORE, "publish", *map(str, paths)], capture_output=True, text=True, check=False
    )


@pytest.mark.fast
def test_publish_cli(fake):
    invocation = fake.build(leads=50)
    proc = _publish_cli(fake)
    assert proc.returncode == 0, proc.stderr
    assert "lead_scores: 50 rows" in proc.stdout and invocation in proc.stdout
    fake.build(failing_test=True)
    proc = _publish_cli(fake)
    assert proc.returncode == 2
    assert "nothing published" in proc.stderr and "Traceback" not in proc.stderr


def _files(folder: Path) -> dict:
    """Every file and folder under `folder`, with the digest of each file."""
    return {
        str(p.relative_to(folder)): _digest(p) if p.is_file() else "folder"
        for p in sorted(folder.rglob("*"))
    }


def _wrong_paths(tmp_path: Path, fake: FakeBuild) -> list:
    """(flag, path, message) of paths publishing must refuse: --out is replaced whole, so only
    a published snapshot may be there; --db must be a DuckDB database file."""
    csv = tmp_path / "leads.csv"
    csv.write_text("lead_id,connections\nL1,5\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    other_build = tmp_path / "other_project_build.duckdb"  # a DuckDB file, not a published one
    shutil.copyfile(fake.db, other_build)
    return [
        ("--out", other_build, "exists and is not a published snapshot"),
        ("--out", csv, "exists and is not a published snapshot"),
        ("--out", folder, "is a folder"),
        ("--out", csv / "lead_scoring.duckdb", f"{csv} is a file, not a folder"),
        ("--db", csv, "is not a DuckDB database file"),
        ("--db", folder, "is a folder"),
        ("--db", csv / "build.duckdb", f"{csv} is a file, not a folder"),
    ]


@pytest.mark.fast
def test_publish_refuses_paths_that_are_not_its_own(fake, tmp_path, capsys):
    """Each wrong --out / --db: exit 2 naming the flag and path, before anything is written."""
    fake.build()
    for flag, path, message in _wrong_paths(tmp_path, fake):
        given = {"--db": fake.db, "--target-path": fake.target, "--out": fake.out, flag: path}
        before = _files(tmp_path)
        assert main(["publish", *(str(x) for pair in given.items() for x in pair)]) == 2
        err = capsys.readouterr().err
        assert f"error: {flag} {path}" in err and message in err, err
        assert _files(tmp_path) == before
    fake.publish()  # a published snapshot at --out is replaced
    assert fake.publish()["out"] == str(fake.out)


@pytest.mark.fast
def test_build_refuses_paths_that_are_not_its_own_before_dbt_runs(fake, tmp_path, capsys):
    """`leadscore build` applies publish's rule to --out (and its report beside it) and checks
    --db and --target-path before dbt runs: not a minute later, and nothing is built, locked or
    written."""
    fake.build()
    report_folder = tmp_path / "reports" / "lead_scoring_report.html"
    report_folder.mkdir(parents=True)
    csv = tmp_path / "leads.csv"  # written by _wrong_paths
    wrong = [
        *_wrong_paths(tmp_path, fake),
        ("the report file", report_folder, "is a folder"),
        # dbt writes its log there first: it stopped without a word
        ("--target-path", csv, "is a file, not a folder"),
        ("--target-path", csv / "target", f"{csv} is a file, not a folder"),
    ]
    target = tmp_path / "build_target"
    exports = json.dumps({"export_dir": str(tmp_path / "exports")})  # were a build to run
    for flag, path, message in wrong:
        given = {"--db": tmp_path / "new_build.duckdb", "--out": fake.out}
        if flag.startswith("--"):
            given[flag] = path
        else:  # the report goes beside the published file
            given["--out"] = path.with_name("lead_scoring.duckdb")
        before = _files(tmp_path)
        argv = ["build", "--target-path", str(target), "--vars", exports]
        argv += [str(x) for pair in given.items() for x in pair]  # a flag given again wins
        assert main(argv) == 2
        printed = capsys.readouterr()
        assert f"error: {flag} {path}" in printed.err and message in printed.err, printed.err
        assert "dbt build" not in printed.out
        assert _files(tmp_path) == before
    # on another target (Spark) too, before its export folder is made
    argv = ["build", "--target", "spark", "--target-path", str(csv), "--vars", exports]
    before = _files(tmp_path)
    assert main(argv) == 2
    assert f"error: --target-path {csv} is a file" in capsys.readouterr().err
    assert _files(tmp_path) == before


# ----------------------------------------------------------------------------- end to end


def _build(db, target, raw_dir, out, **vars_):
    """`leadscore build` on the sample's project, in this process (the session build,
    sample_build, is the installed command's); returns a CompletedProcess."""
    vars_ = {
        "raw_data_path": str(raw_dir),
        "export_dir": str(Path(target).parent / "exports"),
        **vars_,
    }
    argv = ["build", "--db", str(db), "--target-path", str(target), "--out", str(out)]
    argv += ["--vars", json.dumps(vars_)]
    return leadscore_in_process(*argv)


def _tail(proc):
    return proc.stdout[-4000:] + "\n" + proc.stderr[-4000:]


def test_build_runs_every_data_test_and_no_unit_test(sample_build):
    """Unit tests check the SQL on fixed inputs: `make test` runs them, `leadscore build` only
    with --unit-tests (tests/test_spark.py uses it)."""
    target = sample_build.build_target_path
    manifest = json.loads((target / "manifest.json").read_text())
    ran = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text())["results"]}
    data_tests = {
        uid
        for uid, n in manifest["nodes"].items()
        if n["resource_type"] == "test" and n["config"]["enabled"]  # not of a disabled model
    }
    assert manifest["unit_tests"] and not ran & set(manifest["unit_tests"])
    assert len(data_tests) > 100 and data_tests <= ran


def test_green_build_commits_history_and_exports_after_publishing(sample_build):
    assert "published" in sample_build.build_stdout and "committed" in sample_build.build_stdout
    scores = _count(sample_build.db_path, "select count(*) from lead_scores")[0][0]
    assert [n for _, _, n in _committed(sample_build.db_path)] == [scores]
    exports = list((sample_build.workdir / "exports").glob("*"))
    assert len(exports) == 1 and exports[0].name.startswith("outreach_list_")  # no temp file left
    assert _count(sample_build.published_path, "select count(*) from lead_score_history") == [
        [scores]
    ]


def test_published_tables_carry_their_docs_and_only_they_persist_docs(sample_build):
    """BI tools read the published file: each table there keeps its model's description and
    its columns' as comments (dbt persist_docs, copied by publish). No other node writes its
    docs into the warehouse: that would only cost the build queries."""
    manifest = json.loads((sample_build.build_target_path / "manifest.json").read_text())
    nodes = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] in ("model", "seed") and n["config"]["enabled"]
    ]
    persisting = {n["name"] for n in nodes if any((n["config"]["persist_docs"] or {}).values())}
    by_table = {n["alias"]: n for n in nodes if "published" in n["tags"]}
    assert persisting == {n["name"] for n in by_table.values()}
    tables, table_comments, column_comments = _counts(
        sample_build.published_path,
        [
            "select table_name from published_tables",
            "select table_name, comment from duckdb_tables()",
            "select table_name, column_name, comment from duckdb_columns() "
            "where comment is not null",
        ],
    )
    tables = [t for (t,) in tables]
    assert "lead_scores" in tables
    for table in tables:
        node = by_table[table]
        [comment] = [c for t, c in table_comments if t == table]
        assert comment.strip() == node["description"].strip(), table
        comments = {c: text for t, c, text in column_comments if t == table}
        documented = {
            c: col["description"] for c, col in node["columns"].items() if col["description"]
        }
        assert {c: t.strip() for c, t in comments.items()} == {
            c: d.strip() for c, d in documented.items()
        }, table


def test_publish_info_records_the_raw_files_read(sample_build):
    """Exactly the files read - path, size and sha256 - never a pattern."""
    (files,) = _count(sample_build.published_path, "select raw_files from publish_info")[0]
    expected = [
        {
            "raw_file": name,
            "path": str((DEFAULT_SAMPLE_DIR / f"{name}.csv").resolve()),
            "bytes": (DEFAULT_SAMPLE_DIR / f"{name}.csv").stat().st_size,
            "sha256": _digest(DEFAULT_SAMPLE_DIR / f"{name}.csv"),
        }
        for name in ("activities", "leads", "outreach")
    ]
    assert files == expected


def test_publish_that_fails_commits_and_exports_nothing(sample_build, tmp_path, sample_copy):
    """dbt build is green, but the publish fails: no history, no export, no published change."""
    out = _own_copy(sample_build, tmp_path)
    before = _digest(out)
    db = _own_db(sample_build, tmp_path)
    history = _committed(db)
    wal = out.with_name(out.name + ".wal")
    wal.write_bytes(b"a tool opened the published file read-write")
    early = _build(db, tmp_path / "target", sample_copy, out, as_of="2026-11-15")
    assert early.returncode == 2 and "opened read-write by some tool" in early.stderr
    assert "dbt build ->" not in early.stdout  # found before dbt ran
    wal.unlink()
    # another publish holds the published file: found only when this build publishes
    with locks.exclusive(out, "a publish in another process"):
        failed = _build(db, tmp_path / "target", sample_copy, out, as_of="2026-11-15")
    assert failed.returncode == 2, _tail(failed)
    assert (
        "dbt build succeeded but publishing failed" in failed.stderr
        and "Traceback" not in failed.stderr
    )
    assert "lead_score_history and the exports left unchanged" in failed.stderr
    assert _digest(out) == before
    assert _committed(db) == history
    assert not (tmp_path / "exports").exists() or not list((tmp_path / "exports").iterdir())


@pytest.mark.fast
def test_killed_publish_leaves_no_temp_file_behind(fake):
    """A publish killed mid-write left its temp file: the next publish removes it."""
    fake.build(version="v1")
    fake.out.parent.mkdir(parents=True, exist_ok=True)
    stale = fake.out.with_name(f".{fake.out.name}.99999.deadbeef.tmp")
    stale.write_bytes(b"half a database")
    stale.with_name(stale.name + ".wal").write_bytes(b"its wal")
    fake.publish()
    assert _leftovers(fake.out.parent) == []


@pytest.mark.fast
def test_second_build_is_refused_while_one_holds_the_lock(tmp_path):
    """The lock is taken, not checked: a second build gets the friendly message, at once."""
    from leadscore import locks

    db = tmp_path / "build" / "lead_scoring_build.duckdb"
    with locks.exclusive(db, "the build database"):
        started = time.time()
        proc = subprocess.run(
            [
                LEADSCORE,
                "build",
                "--db",
                str(db),
                "--target-path",
                str(tmp_path / "target"),
                "--out",
                str(tmp_path / "published" / "x.duckdb"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert proc.returncode == 2
    assert (
        "is in use by another leadscore process (pid" in proc.stderr
        and "Traceback" not in proc.stderr
    )
    assert time.time() - started < 60  # refused before dbt starts
    assert not db.exists()


@pytest.mark.fast
def test_lock_is_exclusive_between_processes_started_together(tmp_path):
    """Several processes ask for the lock at the same moment: exactly one gets it."""
    code = textwrap.dedent("""
        import sys, time
        from leadscore import locks
        from leadscore.errors import UserError
        go = float(sys.argv[2])
        while time.time() < go:
            pass
        try:
            with locks.exclusive(__import__("pathlib").Path(sys.argv[1]), "db"):
                print("got it", flush=True)
                time.sleep(2)
        except UserError as exc:
            print("refused:", exc)
    """)
    go = time.time() + 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / "x.duckdb"), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    said = sorted(o.split(":")[0].strip() for o, _ in outs)
    assert said == ["got it", "refused", "refused", "refused"], outs


def _blank_column(csv_path, column):
    with csv_path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    with csv_path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, column: ""} for row in rows)


def _own_db(sample_build, tmp_path):
    """A copy of the session build's database (with its history) to build on."""
    db = tmp_path / "build.duckdb"
    db.write_bytes(sample_build.db_path.read_bytes())
    return db


def _own_copy(sample_build, tmp_path):
    out = tmp_path / "published" / "lead_scoring.duckdb"
    out.parent.mkdir()
    out.write_bytes(sample_build.published_path.read_bytes())
    return out


def test_build_end_to_end_with_reader_open(sample_build, tmp_path, sample_copy):
    out = _own_copy(sample_build, tmp_path)
    db = _own_db(sample_build, tmp_path)
    tables = [r[0] for r in _count(out, "select table_name from published_tables order by 1")]
    assert "data_quality_issues" in tables
    counts = dict(_count(out, "select table_name, row_count from published_tables"))
    checksums = _counts(out, [CHECKSUM.format(table=t) for t in tables])
    old = {t: rows[0] for t, rows in zip(tables, checksums, strict=True)}
    assert {t: old[t][0] for t in tables} == counts
    # A dashboard holds the published file open while the real dbt build runs and publishes.
    # An export that lost a column (followers blank for every lead): a warning the build survives.
    _blank_column(sample_copy / "leads.csv", "followers")
    reader, go = _start_reader(out, tmp_path, tables)
    try:
        second = _build(db, tmp_path / "target", sample_copy, out)
    finally:
        seen = _finish_reader(reader, go)
    assert second.returncode == 0, _tail(second)
    assert "published" in second.stdout
    # the warning's rows name the file and its share, where dbt's log only counts them
    shown = second.stderr[second.stderr.index("warn monitoring_feature_missing_for_every_lead") :]
    assert "feature | leads_scored | training_rows | training_rows_with_a_value" in shown
    assert "\n  log_followers | 1303 | " in shown
    assert seen["invocation_before"] == seen["invocation_after"]
    assert {t: seen[t] for t in tables} == old  # the whole old snapshot, row for row
    new_info = _count(out, "select dbt_invocation_id, raw_data_path from publish_info")
    assert new_info[0][0] != seen["invocation_before"]
    assert new_info[0][1] == str(sample_copy)
    assert _leftovers(out.parent) == []
    # The scores themselves are what BI tools come for.
    assert "lead_scores" in tables, "tag lead_scores `published` (+tags in dbt_project.yml)"
    assert _count(out, "select model_version is not null from publish_info") == [[True]]


def test_build_writes_the_report_and_prints_precision_at_k(sample_build):
    report = sample_build.published_path.with_name("lead_scoring_report.html")
    assert report.is_file() and "Lead scoring report" in report.read_text(encoding="utf-8")
    assert f"report -> {report}" in sample_build.build_stdout
    k_values = [
        r[0]
        for r in _count(sample_build.published_path, "select k from cv_precision_at_k order by k")
    ]
    shown = [
        line.split()[1]
        for line in sample_build.build_stdout.splitlines()
        if line.strip().startswith("cross_validation")
    ]
    assert shown == [str(k) for k in k_values]


def test_build_that_fails_publishes_nothing(sample_build, tmp_path):
    out = _own_copy(sample_build, tmp_path)
    before = _digest(out)
    # A booster file modified after training: the SQL check and the Python scorer stop the build.
    artifact = tmp_path / "artifact"
    shutil.copytree(DEFAULT_ARTIFACT_DIR, artifact)
    with open(artifact / "booster_0.ubj", "ab") as booster:
        booster.write(b"x")
    failed = _build(
        tmp_path / "build.duckdb",
        tmp_path / "target",
        DEFAULT_SAMPLE_DIR,
        out,
        model_dir=str(artifact),
    )
    assert failed.returncode == 1, _tail(failed)
    assert "dbt build failed" in failed.stderr and "left unchanged" in failed.stderr
    # the Python scorer's exception, which dbt prints at the end of a traceback, in one line
    assert (
        f"leadscore build: lead_margins failed: integrity check failed: "
        f"{artifact / 'booster_0.ubj'} has sha256"
    ) in failed.stderr
    assert _digest(out) == before
    assert _leftovers(out.parent) == []


@pytest.mark.fast
def test_export_folder_is_the_one_the_export_writes_to(tmp_path, monkeypatch):
    """leadscore build creates the export folder before dbt runs: the same folder the engine's
    macro export_dir and DuckDB write to (trimmed, `~` expanded, relative to the project)."""
    from leadscore.spark_export import export_dir_of

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert export_dir_of({"export_dir": " ~/lists/weekly/ "}, tmp_path / "project") == (
        tmp_path / "home" / "lists" / "weekly"
    )
    assert export_dir_of({"export_dir": " out "}, tmp_path / "project") == (
        tmp_path / "project" / "out"
    )


@pytest.mark.fast
def test_a_folder_in_a_list_files_place_is_refused_before_anything_runs(tmp_path):
    """A folder named like a list file (today's, a backfill's, DuckDB's tmp_ name while writing)
    stops leadscore build before dbt runs; other folders do not. Spark's export (a folder of
    parts moved to the file's name after the build) refuses the same folder by name."""
    from leadscore.build import _prepare_export_dir
    from leadscore.spark_export import finish_exports

    exports = tmp_path / "exports"
    for harmless in ("old_outreach_list_archive.csv", "outreach_list_20261015.csv.parts"):
        (exports / harmless).mkdir(parents=True)
    (exports / "outreach_list_20261014.csv").write_text("a file: replaced by the next list\n")
    _prepare_export_dir(exports)
    for name in (
        "outreach_list_20261130.csv",
        "outreach_list_as_of_20261015T070000.csv",
        "tmp_outreach_list_20261130.csv",
    ):
        (exports / name).mkdir()
        with pytest.raises(
            UserError, match=f"{re.escape(name)} is a folder named like an outreach list"
        ):
            _prepare_export_dir(exports)
        (exports / name).rmdir()
    parts = exports / "outreach_list_20261015.csv.parts"
    (parts / "part-00000.csv").write_text("lead_id\nL1\n")
    (parts / "_SUCCESS").write_text("")
    (exports / "outreach_list_20261015.csv").mkdir()
    with pytest.raises(UserError, match=r"outreach_list_20261015\.csv is a folder"):
        finish_exports(exports)
    assert (parts / "part-00000.csv").is_file()
    (exports / "outreach_list_20261015.csv").rmdir()
    assert finish_exports(exports) == [exports / "outreach_list_20261015.csv"]
    assert (exports / "outreach_list_20261015.csv").read_text() == "lead_id\nL1\n"


@pytest.mark.fast
def test_a_misspelt_var_is_refused_before_anything_runs(tmp_path):
    """dbt ignores a var nobody declares: `raw_data_dir` would score the default folder."""
    proc = _build(
        tmp_path / "b.duckdb",
        tmp_path / "target",
        DEFAULT_SAMPLE_DIR,
        tmp_path / "p.duckdb",
        raw_data_dir="/data/mine",
        K=5,
        export_list="top_k",
    )
    assert proc.returncode == 2
    assert (
        "--vars: unknown var(s) raw_data_dir (did you mean raw_data_path?), K (did you mean k?)"
    ) in proc.stderr
    assert not (tmp_path / "b.duckdb").exists() and not (tmp_path / "target").exists()


@pytest.mark.fast
def test_a_relative_raw_folder_meant_from_here_is_refused_naming_both_folders(tmp_path):
    """dbt runs in the project folder, so a relative raw_data_path resolves there."""
    shutil.copytree(DEFAULT_SAMPLE_DIR, tmp_path / "myexport")
    proc = subprocess.run(
        [LEADSCORE, "build", "--db", "b.duckdb", "--vars", '{"raw_data_path": "myexport"}'],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert (
        f"--vars raw_data_path='myexport' is relative: dbt resolves it against the project "
        f"folder {PROJECT_ROOT}, where it does not exist; it exists here: pass "
        f"{tmp_path / 'myexport'}"
    ) in proc.stderr
    assert not (tmp_path / "b.duckdb").exists()


def test_unwritable_export_folder_stops_the_build_before_it_runs(sample_build, tmp_path):
    """The outreach list could not be written: found before dbt runs, so nothing is published,
    committed or exported (found after publishing, the published file would be ahead of the
    history)."""
    out = _own_copy(sample_build, tmp_path)
    before = _digest(out)
    db = _own_db(sample_build, tmp_path)
    history = _committed(db)
    (tmp_path / "a_file").write_text("not a folder")
    export_dir = tmp_path / "a_file" / "exports"
    failed = _build(db, tmp_path / "target", DEFAULT_SAMPLE_DIR, out, export_dir=str(export_dir))
    assert failed.returncode == 2, _tail(failed)
    assert f"var export_dir: cannot create the folder {export_dir}" in failed.stderr
    assert "Running with dbt" not in failed.stdout  # stopped before dbt started
    # a folder where a list file goes (today's, or a backfill's)
    export_dir = tmp_path / "exports"
    (export_dir / "outreach_list_as_of_20261015.csv").mkdir(parents=True)
    failed = _build(db, tmp_path / "target", DEFAULT_SAMPLE_DIR, out, export_dir=str(export_dir))
    assert failed.returncode == 2, _tail(failed)
    assert "outreach_list_as_of_20261015.csv is a folder named like an outreach list" in (
        failed.stderr
    )
    assert "Running with dbt" not in failed.stdout
    assert _digest(out) == before
    assert _committed(db) == history


@pytest.mark.fast
def test_first_odd_line_ending_finds_the_line(tmp_path):
    from leadscore.build import first_odd_line_ending

    cases = {
        b"h\r\na\r\nb\n": 3,  # a Unix line in a Windows file
        b"h\na\r\nb\n": 2,  # the reverse
        b"h\na\rb\n": 2,  # a bare carriage return
        b"h\r\na\r\nb": None,  # consistent, no final line feed
        b"h\na\nb\n": None,
    }
    for data, line in cases.items():
        (tmp_path / "f.csv").write_bytes(data)
        for chunk in (1, 2, 1 << 20):  # lines split across reads
            assert first_odd_line_ending(tmp_path / "f.csv", chunk) == line, (data, chunk)


@pytest.mark.fast
def test_physical_line_of_record_counts_as_duckdb_does(tmp_path):
    """DuckDB's CSV errors number records (header = 1, empty lines count) and skip the line
    breaks inside quoted values; physical_line_of_record maps such a number to its line."""
    from leadscore.build import physical_line_of_record

    data = b'h,n\r\n1,"two\r\nlines ""q"""\r\n\r\n2,b\r\n3,"x\ny\nz"\r\n4,c,EXTRA\r\n'
    (tmp_path / "f.csv").write_bytes(data)
    lines = [physical_line_of_record(tmp_path / "f.csv", n) for n in range(1, 8)]
    assert lines == [1, 2, 4, 5, 6, 9, None]
    # the record DuckDB reports for the bad line is record 6
    with duckdb.connect() as con, pytest.raises(duckdb.Error, match="CSV Error on Line: 6"):
        con.sql(
            f"select * from read_csv('{tmp_path / 'f.csv'}', header = true, "
            "auto_detect = false, columns = {'h': 'VARCHAR', 'n': 'VARCHAR'}, "
            "delim = ',', quote = '\"', escape = '\"')"
        ).fetchall()


def test_rows_appended_with_other_line_endings_are_named_by_line(sample_copy, tmp_path):
    """Rows appended to a Unix-style export with Windows line endings stop DuckDB's CSV reader,
    which names the file but not the line: leadscore build names the line."""
    activities = sample_copy / "activities.csv"
    first_appended = len(activities.read_bytes().splitlines()) + 1
    with open(activities, "ab") as fh:
        # unquoted, as a spreadsheet writes them (after a closing quote DuckDB skips the \r)
        fh.write(b"LATE1,L00000002,email_click,2026-10-10T09:00:00\r\n")
        fh.write(b"LATE2,L00000002,email_click,2026-10-11T09:00:00\r\n")
    failed = _build(tmp_path / "b.duckdb", tmp_path / "target", sample_copy, tmp_path / "p.duckdb")
    assert failed.returncode == 1, _tail(failed)
    assert f"{activities} line {first_appended}: a carriage return" in failed.stderr
    assert not (tmp_path / "p.duckdb").exists()


def _committed(db: Path):
    return _count(
        db,
        "select model_version, feature_as_of, count(*) from lead_score_history_committed "
        "group by all order by all",
    )


def test_build_that_fails_a_data_test_publishes_nothing(sample_build, tmp_path, sample_copy):
    """Every model builds, but a data test fails: nothing is published, committed or exported."""
    out = _own_copy(sample_build, tmp_path)
    before = _digest(out)
    db = _own_db(sample_build, tmp_path)  # a build database with history
    history = _committed(db)
    assert history, "the first build committed its scores"
    # An export where most activities belong to leads we do not know: the rows are rejected
    # (and listed in data_quality_issues), and the rejected-share data test fails the build.
    # A later as-of, so the failed build's scores would be a new history partition.
    with open(sample_copy / "activities.csv", "a") as f:
        for i in range(20000):
            f.write(f"X{i},UNKNOWN{i},email_open,2026-10-01T10:00:00\n")
    failed = _build(db, tmp_path / "target", sample_copy, out, as_of="2026-11-15")
    assert failed.returncode == 1, _tail(failed)
    assert "FAIL" in failed.stdout and "rejected_share_within_limit" in failed.stdout
    assert "ERROR creating" not in failed.stdout  # the models themselves were fine
    # the failing test's rows say which file lost how much, not only that a test failed
    shown = failed.stderr[failed.stderr.index("rejected_share_within_limit") :]
    assert "raw_file | source_file | input_rows | rejected_rows | rejected_share" in shown
    assert "\n  activities | " in shown and "| 0.2" in shown
    assert "lead_score_history and the exports left unchanged" in failed.stderr
    assert _digest(out) == before
    assert _leftovers(out.parent) == []
    # the failed build's scores are not in the durable history, nor is its list exported
    assert _committed(db) == history
    assert not list((tmp_path / "exports").glob("*.csv"))
    # nor is a model trained on its tables
    artifact = tmp_path / "artifact"
    paths = ["--db", db, "--target-path", tmp_path / "target", "--out", artifact]
    trained = leadscore_in_process("train", *paths, "--repeats", "1")
    assert trained.returncode == 2, _tail(trained)
    assert "dbt build did not succeed" in trained.stderr and "nothing trained" in trained.stderr
    assert "rejected_share_within_limit" in trained.stderr and not artifact.exists()


@pytest.mark.fast
def test_build_refuses_early_when_build_db_is_held_open(tmp_path):
    """Someone opened the private build database (even read-only): a clear message, not a dbt
    lock error, from build and from publish."""
    db = tmp_path / "build" / "lead_scoring_build.duckdb"
    db.parent.mkdir()
    duckdb.connect(str(db)).close()
    out = tmp_path / "published" / "lead_scoring.duckdb"
    holder, go = _start_reader_of_build_db(db, tmp_path)
    try:
        proc = subprocess.run(
            [
                LEADSCORE,
                "build",
                "--db",
                str(db),
                "--target-path",
                str(tmp_path / "target"),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        # publish alone too: it would publish, then fail to commit on the lock
        published = subprocess.run(
            [
                LEADSCORE,
                "publish",
                "--db",
                str(db),
                "--target-path",
                str(tmp_path),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        go.touch()
        holder.communicate(timeout=60)
    for refused in (proc, published):
        assert refused.returncode == 2
        assert "is open in another process" in refused.stderr and "read-only" in refused.stderr
    assert not out.exists()


def _start_reader_of_build_db(db: Path, workdir: Path):
    ready, go = workdir / "held", workdir / "release"
    code = (
        "import duckdb, os, sys, time; con = duckdb.connect(sys.argv[1], read_only=True); "
        "open(sys.argv[2], 'w').close(); deadline = time.time() + 120\n"
        "while not os.path.exists(sys.argv[3]) and time.time() < deadline: time.sleep(0.05)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(ready), str(go)])
    deadline = time.time() + 60
    while not ready.exists():
        assert proc.poll() is None and time.time() < deadline, "holder did not start"
        time.sleep(0.05)
    return proc, go


@pytest.mark.fast
def test_refuses_when_published_file_has_a_wal(fake):
    """A .wal next to the published file means a tool opened it read-write: never swap the file under it."""
    fake.build(version="v1")
    fake.publish()
    before = _digest(fake.out)
    wal = fake.out.with_name(fake.out.name + ".wal")
    wal.write_bytes(b"not ours")
    fake.build(version="v2")
    with pytest.raises(UserError, match="opened read-write"):
        fake.publish()
    assert _digest(fake.out) == before and wal.read_bytes() == b"not ours"


@pytest.mark.fast
def test_run_var_reads_vars_and_project_default_and_never_swallows_errors(tmp_path):
    from leadscore.publish import run_var

    def raw_data_path_of(run_results, project_dir=PROJECT_ROOT):
        return run_var(run_results, "raw_data_path", project_dir)

    assert raw_data_path_of({"args": {"vars": {"raw_data_path": "/d/a"}}}) == "/d/a"
    assert (
        raw_data_path_of({"args": {"vars": "{raw_data_path: /d/b}"}}) == "/d/b"
    )  # old dbt: raw text
    (tmp_path / "dbt_project.yml").write_text("name: x\nvars:\n  raw_data_path: data/sample\n")
    assert raw_data_path_of({"args": {}}, tmp_path) == "data/sample"
    (tmp_path / "dbt_project.yml").write_text("name: x\n")
    assert raw_data_path_of({"args": {"vars": {}}}, tmp_path) is None
    with pytest.raises(UserError, match="not valid YAML"):
        raw_data_path_of({"args": {"vars": "{raw_data_path: [unclosed"}}, tmp_path)
    (tmp_path / "dbt_project.yml").write_text("vars: {raw_data_path: [unclosed\n")
    with pytest.raises(UserError, match="cannot read the raw_data_path default"):
        raw_data_path_of({"args": {}}, tmp_path)
    with pytest.raises(UserError, match="cannot read the raw_data_path default"):
        raw_data_path_of({"args": {}}, tmp_path / "missing")


# ----------------------------------------------------------------------------- plain dbt


@pytest.fixture
def build_copy(sample_build, tmp_path):
    """A writable copy of the session build's database (history committed by that build)."""
    return DbtProject.copy_of(sample_build, tmp_path)


def test_dbt_run_of_the_export_model_exports_nothing(build_copy, sample_build):
    """`dbt run -s outreach_export` runs no test: it is not a green build, nothing is committed.
    Nor can the build before it be published any more: the run rewrote tables, and the build
    database says so (as after a build killed half-way, whose results were never written)."""
    history = _committed(build_copy.db_path)
    out = build_copy.workdir / "published.duckdb"
    publish(build_copy.db_path, sample_build.build_target_path, out)  # the build's own tables
    result = build_copy.dbt(
        "run",
        "--select",
        "outreach_export",
        "lead_score_history",
        vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR)},
    )
    assert "nothing committed (`dbt run` is not a `dbt build`)" in result.stdout
    assert not (build_copy.workdir / "exports").exists()
    assert _committed(build_copy.db_path) == history
    before = _digest(out)
    with pytest.raises(UserError, match=r"was last written by dbt invocation .*: a later dbt run"):
        publish(build_copy.db_path, sample_build.build_target_path, out)
    assert _digest(out) == before


@pytest.mark.fast
def test_a_build_of_another_project_is_not_published_as_this_one(fake):
    """Its commit would run with this project's vars: its list in this project's exports."""
    fake.build()
    manifest = json.loads((fake.target / "manifest.json").read_text())
    manifest["metadata"]["project_name"] = "x_education"
    (fake.target / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match=r"holds a build of the dbt project 'x_education', not of"):
        fake.publish()
    assert not fake.out.exists()
    manifest["metadata"]["project_name"] = "lead_scoring"  # the default --project-dir's
    (fake.target / "manifest.json").write_text(json.dumps(manifest))
    fake.publish()


@pytest.mark.fast
def test_a_selection_leaving_out_what_the_published_tables_are_made_from_publishes_nothing(fake):
    """`--select tag:published` would publish marts over last week's staging tables."""
    fake.build()
    manifest = json.loads((fake.target / "manifest.json").read_text())
    # an ephemeral model never runs (dbt inlines it): never "left out"
    manifest["nodes"]["model.lead_scoring.int_spine"] = {
        "resource_type": "model",
        "name": "int_spine",
        "config": {"enabled": True, "materialized": "ephemeral"},
        "depends_on": {"nodes": ["model.lead_scoring.stg_leads"]},
    }
    manifest["nodes"]["model.lead_scoring.lead_scores"]["depends_on"] = {
        "nodes": ["model.lead_scoring.int_spine"]
    }
    manifest["nodes"]["test.lead_scoring.unique_lead_scores_lead_id.1a2b3c"]["depends_on"] = {
        "nodes": ["model.lead_scoring.lead_scores"]
    }
    (fake.target / "manifest.json").write_text(json.dumps(manifest))
    fake.publish()  # everything ran
    run_results = json.loads((fake.target / "run_results.json").read_text())
    run_results["results"] = [
        r for r in run_results["results"] if r["unique_id"] != "model.lead_scoring.stg_leads"
    ]
    (fake.target / "run_results.json").write_text(json.dumps(run_results))
    with pytest.raises(
        UserError, match=r"did not run in this dbt build.*: model\.lead_scoring\.stg_leads;"
    ):
        fake.publish()


def test_plain_dbt_build_with_a_failing_test_commits_nothing(build_copy, sample_copy):
    history = _committed(build_copy.db_path)
    with open(sample_copy / "activities.csv", "a") as f:
        f.write("X1,UNKNOWN1,email_open,2026-10-01T10:00:00\n")  # one rejected row: over a 0 limit
    result = build_copy.dbt(
        "build",
        "--select",
        "+lead_score_history",
        "+outreach_export",
        "+data_quality_summary",
        *NO_UNIT_TESTS,
        vars={"raw_data_path": str(sample_copy), "as_of": "2026-11-15", "max_rejected_share": 0},
        check=False,
    )
    assert result.returncode == 1
    assert "rejected_share_within_limit" in result.stdout
    # (data_quality_values_set_to_null_share, which also reads data_quality_issues, not run)
    assert "commit: nothing committed (1 node(s) did not pass)" in result.stdout
    assert _committed(build_copy.db_path) == history  # no 2026-11-15 partition
    assert not (build_copy.workdir / "exports").exists()


def test_export_neutralises_spreadsheet_formulas(build_copy):
    """Names and companies starting with =, +, -, @ reach the CSV as text, not formulas."""
    formulas = {
        1: ("full_name", '=HYPERLINK("http://evil.example","Click")'),
        2: ("company_name", "+1+2"),
        3: ("job_title", "-2+3"),
        4: ("full_name", "@SUM(A1:A9)"),
        5: ("company_name", "\t=1+1"),
    }
    with duckdb.connect(str(build_copy.db_path)) as con:
        for position, (column, value) in formulas.items():
            con.execute(
                f"update outreach_export set {column} = ? where list_position = ?",
                [value, position],
            )
    build_copy.dbt(
        "run-operation",
        "leadscore.commit_build",
        "--args",
        '{"export_date": "20260102"}',
        vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR)},
    )
    path = build_copy.workdir / "exports" / "outreach_list_20260102.csv"
    with open(path, newline="") as fh:
        rows = {int(r["list_position"]): r for r in csv.DictReader(fh)}
    for position, (column, value) in formulas.items():
        assert rows[position][column] == "'" + value
    assert float(rows[1]["engagement_score"]) > 0  # numbers stay numbers
    plain = rows[6]
    assert not plain["full_name"].startswith("'") and not plain["company_name"].startswith("'")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_a_backfill_list_never_replaces_the_current_one(build_copy):
    """A build at a set as_of (a backfill) writes its list under the as-of's name."""
    current = build_copy.workdir / "exports" / "outreach_list_20260102.csv"
    for as_of in (None, "2026-10-15", "2026-10-15T08:30:00+02:00"):
        build_copy.dbt(
            "run-operation",
            "leadscore.commit_build",
            "--args",
            '{"export_date": "20260102"}',
            vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR), **({"as_of": as_of} if as_of else {})},
        )
        if as_of is None:
            written = current.read_bytes()
    assert sorted(p.name for p in current.parent.iterdir()) == [
        "outreach_list_20260102.csv",
        "outreach_list_as_of_20261015.csv",
        "outreach_list_as_of_20261015T063000.csv",
    ]
    assert current.read_bytes() == written
