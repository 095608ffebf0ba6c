"""Run dbt inside the test process, through dbt's programmatic API (dbtRunner).

A dbt command started as a process spends ~2 CPU-s importing dbt and ~3.5 CPU-s parsing the
project before it runs anything; the suite runs dozens of them. Here dbt is imported once and
the project is parsed once per session: later commands reuse that parse (the manifest) and
still compile and run every node with their own vars, database and target folder.

A parsed manifest holds what dbt rendered at parse time: the vars read in `config()` or
`+enabled` and the database name (the DuckDB file's stem). Those are the cache key;
tests/test_dbt_in_process.py proves that every other var leaves the parse unchanged.
"""

import copy
import io
import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.functions import capture_stdout_logs, stop_capture_stdout_logs

from leadscore.dbt_runner import ensure_packages, profiles_dir
from leadscore.settings import PROJECT_ROOT

# Vars that change what dbt parses: configs (engine/models/scoring/_scoring.yml), `+enabled`
# (engine/dbt_project.yml) and which list the export refs (outreach_export).
PARSE_TIME_VARS = ("model_dir", "scoring_batch_size", "scoring_engine", "export_list")

_manifests = {}


def dbt_in_process(args, *, db_path, target_path, vars=None, check=True):
    """Run `dbt <args>` on the LinkedIn project like leadscore.dbt_runner.dbt_command, in this
    process; returns a CompletedProcess whose stdout is dbt's console log. (Only this project:
    its parse-time vars are the ones tests/test_dbt_in_process.py checks.)"""
    ensure_packages(PROJECT_ROOT)
    common = ["--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(profiles_dir(PROJECT_ROOT))]
    vars = vars or {}
    with _dbt_environment(db_path):
        # `dbt parse` given a manifest would only write it out: it always parses
        manifest = None if args[0] == "parse" else _parsed_manifest(common, db_path, vars)
        per_run = ["--target-path", str(target_path), "--log-path", str(Path(target_path) / "logs")]
        result = _invoke(manifest, [*args, *common, *per_run, "--vars", json.dumps(vars)])
    if check and result.returncode != 0:
        raise RuntimeError(
            f"dbt {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def _parsed_manifest(common, db_path, vars):
    parse_vars = {name: vars[name] for name in PARSE_TIME_VARS if name in vars}
    key = (Path(db_path).stem, json.dumps(parse_vars, sort_keys=True))
    if key not in _manifests:
        folder = str(Path(db_path).parent / "parse_target")
        argv = ["parse", *common, "--target-path", folder, "--log-path", folder]
        parsed = _invoke(None, [*argv, "--vars", json.dumps(parse_vars)], keep_result=True)
        if parsed.returncode != 0:
            return None  # the command itself parses and reports the error
        _manifests[key] = parsed.result
    # dbt compiles nodes into the manifest it is given: each command gets its own copy.
    return copy.deepcopy(_manifests[key])


def _invoke(manifest, argv, keep_result=False):
    console = io.StringIO()
    capture_stdout_logs(console)
    callbacks = [] if manifest is None else [_stamp_invocation(manifest)]
    try:
        outcome = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(argv)
    finally:
        stop_capture_stdout_logs()
        _close_duckdb()
    # dbt's exit codes: 0 success, 1 a node failed, 2 dbt itself stopped (an exception)
    code = 0 if outcome.success else (2 if outcome.exception else 1)
    done = subprocess.CompletedProcess(argv, code, console.getvalue(), str(outcome.exception or ""))
    if keep_result:
        done.result = outcome.result
    return done


def _stamp_invocation(manifest):
    """A command's manifest.json names the command's invocation, as after a parse of its own
    (publish checks that manifest.json and run_results.json come from one `dbt build`)."""

    def on_event(event):
        manifest.metadata.invocation_id = event.info.invocation_id

    return on_event


def _close_duckdb():
    """dbt-duckdb keeps its database open in a class attribute after a command; a process may
    not open the same file again with other settings (the tests read it read-only)."""
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@contextmanager
def _dbt_environment(db_path):
    """What a dbt process would get: started in the project folder (relative paths resolve
    there) with LEADSCORE_DB naming the build database."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ["LEADSCORE_DB"] = str(db_path)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.chdir(PROJECT_ROOT)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
