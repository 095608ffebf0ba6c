"""`leadscore build`: dbt build on the private build database, then publish for BI tools.

dbt writes only to the build database ($LEADSCORE_DB, default build/lead_scoring_build.duckdb),
which no BI tool opens, so a dashboard can never block a build. Only when `dbt build` exits 0
(every model and test passed) are the tables tagged `published` copied into
published/lead_scoring.duckdb, atomically (see leadscore.publish), and only once that
succeeded is the build committed: its scores join lead_score_history and the outreach list is
written (dbt itself commits nothing here: LEADSCORE_COMMIT_ON_RUN_END=false; with --no-publish
the build commits itself like a plain `dbt build`). The build database's lock
(leadscore.locks) is held throughout, so two builds never overlap. dbt runs inside this
process (leadscore.dbt_runner): one parse serves the build and the commit. All paths are
inside the input project's folder (--project-dir, default the repository root).
"""

import json
import os
import re
import sys
from pathlib import Path

import duckdb

from leadscore import dbt_runner, locks, paths, project, spark_export
from leadscore import publish as publish_mod
from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT, warehouse_path


def add_arguments(parser):
    project.add_argument(parser)
    parser.add_argument(
        "--vars", default=None, help='dbt vars as JSON, e.g. \'{"raw_data_path": "data/mine"}\''
    )
    parser.add_argument(
        "--select",
        "-s",
        nargs="+",
        default=None,
        help="dbt selection (passed to dbt build --select, with only the data tests whose "
        "every model is selected). Publishing still requires every published model, "
        "everything it is made from and their tests to be part of the build (or --no-publish)",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="dbt profile target other than the DuckDB default, e.g. spark: dbt build "
        "there and finish the CSV export; the tables stay in that warehouse "
        "(nothing is published to DuckDB)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="build database (default: $LEADSCORE_DB or <project>/build/lead_scoring_build.duckdb)",
    )
    parser.add_argument(
        "--target-path",
        type=Path,
        default=None,
        help="dbt target folder (default: <project>/target)",
    )
    parser.add_argument(
        "--out",
        "--published",
        dest="out",
        type=Path,
        default=None,
        help="published database for BI tools, replaced whole: an existing file there must be "
        "a published snapshot (default: <project>/published/lead_scoring.duckdb)",
    )
    parser.add_argument(
        "--no-publish",
        dest="publish",
        action="store_false",
        help="dbt build only, e.g. the first build of a new project, before it has "
        "a model: --select +lead_training_set --no-publish",
    )
    parser.add_argument(
        "--unit-tests",
        action="store_true",
        help="also run the dbt unit tests (they check the SQL on fixed inputs; "
        "`make test` and a plain `dbt build` run them)",
    )
    publish_mod.add_storage_version_argument(parser)


def _parse_vars(text):
    if text in (None, ""):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"--vars must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise UserError('--vars must be a JSON object, e.g. \'{"raw_data_path": "data/mine"}\'')
    return value


def run(args) -> int:
    vars_ = _parse_vars(args.vars)
    project_dir = Path(args.project_dir).absolute()
    dbt_runner.ensure_packages(project_dir)  # the engine declares most vars
    project.check_var_names(project_dir, vars_)
    project.check_relative_paths(project_dir, vars_)
    if args.target not in (None, "duckdb"):
        return _run_on_target(args, vars_, project_dir)
    db = Path(args.db or warehouse_path(project_dir)).absolute()
    target = Path(args.target_path or project.target_path(project_dir)).absolute()
    out = Path(args.out or project.published_path(project_dir)).absolute()
    if db.resolve() == out.resolve():
        raise UserError("--db and --out must differ: the published file is never built in place")
    _check_paths(args, db, target, out)
    db.parent.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(db, f"the build database {db}"):
        return _build_publish_commit(args, vars_, project_dir, db, target, out)


def _check_paths(args, db: Path, target: Path, out: Path) -> None:
    """Before dbt runs: a build must not run for a minute and then fail on a path (or replace
    a file that is not its own: publishing replaces the published file and its report)."""
    paths.check_database_path(db, "--db")
    paths.check_folder_path(target, "--target-path")
    if args.publish:
        publish_mod.check_published_path(out)
        from leadscore import report

        report.check_report_path(report.default_report_path(out), "the report file")


def _build_publish_commit(args, vars_, project_dir: Path, db: Path, target: Path, out: Path) -> int:
    publish_mod.check_build_db_free(db, _shown(out))
    _prepare_export_dir(spark_export.export_dir_of(vars_, project_dir))
    print(f"leadscore build: dbt build -> {db}", flush=True)
    # publishing comes first: dbt commits nothing itself unless the build is not published.
    # An environment variable, not a var: the same vars as a plain `dbt build` keep dbt's
    # partial parse (engine macro commit_on_run_end).
    build_vars = vars_ or {}
    dbt_env = {"LEADSCORE_COMMIT_ON_RUN_END": "false" if args.publish else "true"}
    where = {"project_dir": project_dir, "target_path": target, "db_path": db, "vars": build_vars}
    manifest = dbt_runner.parse_in_process(**where, extra_env=dbt_env)
    result = dbt_runner.dbt_in_process(
        _dbt_build_args(args),
        **where,
        extra_env=dbt_env,
        manifest=manifest,
        capture=False,
        check=False,
    )
    if result.returncode != 0:
        print(
            f"leadscore build: dbt build failed (exit {result.returncode}); "
            f"{_shown(out)}, lead_score_history and the exports left unchanged",
            file=sys.stderr,
        )
        if result.returncode == 1:
            _show_python_errors(target)
            _show_csv_errors(target, project_dir)
            _show_test_rows(db, target, "fail")
        return 1
    _show_test_rows(db, target, "warn")
    if not args.publish:
        print(f"leadscore build: --no-publish: {_shown(out)} left unchanged", flush=True)
        return 0
    try:
        info = publish_mod.publish(
            db, target, out, project_dir=project_dir, storage_version=args.storage_version
        )
    except UserError as exc:
        raise UserError(
            f"dbt build succeeded but publishing failed: {exc}; "
            f"{_shown(out)}, lead_score_history and the exports left unchanged"
        ) from None
    print("leadscore build: " + publish_mod.format_summary(info), flush=True)
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    publish_mod.commit_build(
        db,
        target,
        build_vars,
        publish_mod.build_date(run_results),
        project_dir=project_dir,
        manifest=manifest,
    )
    print("leadscore build: committed (lead_score_history, outreach list)", flush=True)
    _report_step(out)
    return 0


# The names of the outreach list files (engine macro list_file_name) and DuckDB's temporary
# file while writing one.
LIST_FILE_NAME = re.compile(r"(tmp_)?outreach_list_(as_of_)?[0-9]{8}(T[0-9]{6})?\.csv")

# "  leadscore.errors.UserError: <text>" / "xgboost.core.XGBoostError: <text>": the text
EXCEPTION_LINE = re.compile(r"^\s*(?:[A-Za-z_][\w.]*\.)?\w*(?:Error|Exception): (.*)$", re.M)


def _node_results(target: Path) -> list:
    """The nodes of dbt's run_results.json; none when dbt stopped before it ran a node (its own
    message then says why)."""
    run_results = target / "run_results.json"
    if not run_results.is_file():
        return []
    return json.loads(run_results.read_text(encoding="utf-8"))["results"]


def _show_python_errors(target: Path, models=5) -> None:
    """After a failed build: the exception each failed Python model raised, which dbt shows only
    at the end of a traceback (e.g. a feature of the wrong type, a modified artifact file)."""
    for result in _node_results(target):
        message = result.get("message") or ""
        if result.get("status") != "error" or "Traceback (most recent call last)" not in message:
            continue
        # the exception's own line, the last one naming an exception class: a message may
        # go on after it (XGBoost appends its C++ stack)
        raised = list(EXCEPTION_LINE.finditer(message))
        exception = raised[-1].group(1) if raised else message.strip().splitlines()[-1]
        node = result["unique_id"].split(".")[-1]
        print(f"leadscore build: {node} failed: {exception}", file=sys.stderr)
        models -= 1
        if not models:
            return


# DuckDB's CSV reader on a carriage return it cannot place (it names the file, not the line)
CSV_STATE_ERROR = re.compile(
    r"CSV Parser state machine reached an invalid state.*?\n\s*file = ([^\n]+)", re.S
)
# Any other CSV error: DuckDB's "line" is a record count that skips quoted line breaks
CSV_RECORD_ERROR = re.compile(r"CSV Error on Line: (\d+).*?\n\s*file = ([^\n]+)", re.S)


def _show_csv_errors(target: Path, project_dir: Path) -> None:
    """After a failed build: the physical line of the file where DuckDB's CSV reader stopped.
    On a carriage return it cannot place (rows appended with Windows line endings to a Unix
    file, or the reverse) DuckDB names no line: the first line whose ending differs from the
    header's. On a malformed record it counts records, not lines: the line it starts on.
    A relative path in DuckDB's message is relative to the project folder dbt ran in."""
    for result in _node_results(target):
        message = result.get("message") or ""
        if result.get("status") != "error":
            continue
        if found := CSV_STATE_ERROR.search(message):
            path = project_dir / found.group(1).strip()  # an absolute path stays as it is
            line = first_odd_line_ending(path) if path.is_file() else None
            if line:
                print(
                    f"leadscore build: {path} line {line}: a carriage return where line 1 has "
                    "none, or none where it has one (mixed line endings?)",
                    file=sys.stderr,
                )
        elif found := CSV_RECORD_ERROR.search(message):
            record, path = int(found.group(1)), project_dir / found.group(2).strip()
            line = physical_line_of_record(path, record) if path.is_file() else None
            if line and line != record:
                print(
                    f'leadscore build: {path}: DuckDB\'s "line {record}" is line {line} of '
                    "the file (DuckDB does not count the line breaks inside quoted values)",
                    file=sys.stderr,
                )


def physical_line_of_record(path: Path, record: int):
    """The physical line (1-based) on which CSV record `record` starts, counting as DuckDB's
    errors do: the header is record 1, a line starts a record when an even number of quotes
    precede it (empty lines count). None when the file has fewer records."""
    with open(path, "rb") as fh:
        quotes = starts = 0
        for line, text in enumerate(fh, 1):
            if quotes % 2 == 0:
                starts += 1
                if starts == record:
                    return line
            quotes += text.count(b'"')
    return None


def first_odd_line_ending(path: Path, chunk=1 << 20):
    """The first physical line (1-based) whose ending (\\r\\n or \\n) differs from line 1's, or
    that holds a carriage return not before its line feed; None when every line agrees."""
    with open(path, "rb") as fh:
        expected, line, tail = None, 0, b""
        while block := fh.read(chunk):
            *lines, tail = (tail + block).split(b"\n")
            for text in lines:
                line += 1
                crlf = text.endswith(b"\r")
                expected = crlf if expected is None else expected
                if crlf != expected or b"\r" in text[:-1]:
                    return line
    return line + 1 if b"\r" in tail else None


def _show_test_rows(db: Path, target: Path, status: str, tests=5, rows=5) -> None:
    """The first rows of each data test that ended with `status` ("fail" after a failed build,
    "warn" after a good one): they name what failed and where, where dbt only counts them,
    e.g. the file that lost too many rows and its share."""
    results = _node_results(target)
    flagged = [r for r in results if r.get("status") == status and r.get("compiled_code")]
    if not flagged:
        return
    with duckdb.connect(str(db), read_only=True) as con:
        for result in flagged[:tests]:
            test = result["unique_id"].split(".")[2]
            print(
                f"leadscore build: {status} {test}: {result.get('failures')} row(s)",
                file=sys.stderr,
            )
            try:
                cursor = con.execute(
                    f"select * from ({result['compiled_code']}) as flagged limit {rows}"
                )
            except duckdb.Error as exc:
                print(f"  (its rows could not be read: {exc})", file=sys.stderr)
                continue
            print("  " + " | ".join(d[0] for d in cursor.description), file=sys.stderr)
            for row in cursor.fetchall():
                print("  " + " | ".join(map(str, row)), file=sys.stderr)


def _prepare_export_dir(folder: Path) -> None:
    """Create the export folder before building: a folder the outreach list cannot be written
    to (or a folder where a list file goes) stops the build here, not after publishing (when the
    published file would already be ahead of the score history)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"var export_dir: cannot create the folder {folder}: {exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"var export_dir: the folder {folder} is not writable")
    for entry in folder.iterdir():
        if LIST_FILE_NAME.fullmatch(entry.name) and entry.is_dir():
            raise UserError(
                f"var export_dir: {entry} is a folder named like an outreach list file "
                "(a build writes its list to such a name, macro list_file_name): move it away"
            )


def _dbt_build_args(args) -> list:
    """dbt build with the user's selection. Unit tests check the SQL against fixed inputs, so
    they pass or fail alike every week: `make test` and a plain `dbt build` run them, a
    production build only with --unit-tests (as dbt's docs advise)."""
    dbt_args = ["build"]
    if args.target not in (None, "duckdb"):
        dbt_args += ["--target", args.target]
    if args.select:
        # only the data tests whose every model is selected, for any input project (the
        # LinkedIn one sets it as its dbt default too: `flags` in its dbt_project.yml)
        dbt_args += ["--select", *args.select, "--indirect-selection", "cautious"]
    if not args.unit_tests:
        dbt_args += ["--exclude-resource-type", "unit_test"]
    return dbt_args


def _run_on_target(args, vars_, project_dir: Path) -> int:
    """`dbt build --target <target>`, then the CSV export Spark leaves as a folder of parts."""
    target = Path(args.target_path or project.target_path(project_dir)).absolute()
    paths.check_folder_path(target, "--target-path")
    print(f"leadscore build: dbt build on target {args.target}", flush=True)
    _prepare_export_dir(spark_export.export_dir_of(vars_, project_dir))
    result = dbt_runner.dbt_in_process(
        _dbt_build_args(args),
        project_dir=project_dir,
        target_path=target,
        vars=vars_,
        capture=False,
        check=False,
    )
    if result.returncode != 0:
        print(
            f"leadscore build: dbt build failed (exit {result.returncode}); no export written",
            file=sys.stderr,
        )
        return 1
    for path in spark_export.finish_exports(spark_export.export_dir_of(vars_, project_dir)):
        print(f"leadscore build: exported {_shown(path)}", flush=True)
    print(
        f"leadscore build: the tables are in the {args.target} warehouse "
        "(published/ holds DuckDB builds only)",
        flush=True,
    )
    return 0


def _report_step(published: Path) -> None:
    """After a successful publish: the HTML report from the published file, its path and a
    short precision@K table (leadscore.report; the published file stays as published)."""
    from leadscore import report

    try:
        path = report.write_report(published)
    except UserError as exc:
        raise UserError(f"published {_shown(published)}, but the report failed: {exc}") from None
    print(f"leadscore build: report -> {_shown(path)}")
    print(
        "leadscore build: precision@K with 95% intervals (cross-validation, then each campaign "
        "by score at contact):"
    )
    print(report.precision_summary(published), flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
