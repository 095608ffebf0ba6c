"""Run dbt on an input project (default: the repository root), as a process (dbt_command) or
inside this process (dbt_in_process): used by the leadscore commands and by the tests."""

import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from leadscore.settings import PROJECT_ROOT


def dbt_command(
    args,
    *,
    db_path=None,
    target_path=None,
    vars=None,
    project_dir=PROJECT_ROOT,
    check=True,
    capture=True,
    extra_env=None,
):
    """Run `dbt <args>` on the project and return the CompletedProcess.

    db_path: the build database (LEADSCORE_DB); target_path: dbt's target folder (keep
    them per run so concurrent runs do not share manifests); vars: dict for --vars.
    dbt is started from project_dir, so the project's relative paths resolve there.
    """
    project_dir = Path(project_dir).absolute()  # dbt is started inside it
    if args and args[0] not in ("deps", "clean", "debug"):
        ensure_packages(project_dir)
    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *dbt_argv(args, project_dir, target_path, vars),
    ]
    env = dbt_env(os.environ, db_path, extra_env)
    # check=False: the caller's `check` decides, and the error carries dbt's own output.
    result = subprocess.run(
        cmd, cwd=project_dir, env=env, text=True, capture_output=capture, check=False
    )
    return _checked(result, args, check)


def _checked(result, args, check):
    """The result, or with check a RuntimeError carrying dbt's output when dbt failed (its
    error is on stderr when it stopped before its log started)."""
    if check and result.returncode != 0:
        raise RuntimeError(
            f"dbt {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def dbt_argv(args, project_dir: Path, target_path, vars) -> list:
    """dbt's arguments: the project, its profiles, the target folder (logs inside it: keep it
    per run so concurrent runs share no manifest) and the vars."""
    argv = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(profiles_dir(project_dir)),
    ]
    if target_path is not None:
        argv += ["--target-path", str(target_path), "--log-path", str(Path(target_path) / "logs")]
    if vars:
        argv += ["--vars", json.dumps(vars)]
    return argv


def dbt_env(base_env, db_path, extra_env) -> dict:
    """dbt's environment: LEADSCORE_DB names the build database; dbt's file log
    (target/logs/dbt.log) at info level unless DBT_LOG_LEVEL_FILE says otherwise: at debug it
    holds every query (120k lines for the sample), which costs a build ~0.7 s."""
    env = dict(base_env)
    if db_path is not None:
        env["LEADSCORE_DB"] = str(db_path)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DBT_LOG_LEVEL_FILE", "info")
    env.update(extra_env or {})
    return env


def profiles_dir(project_dir) -> Path:
    """The project's own profiles/ folder when it has one, else the repository's: an input
    project may use the shared profile `lead_scoring` (LEADSCORE_DB, threads, ...)."""
    own = Path(project_dir) / "profiles"
    return own if (own / "profiles.yml").is_file() else PROJECT_ROOT / "profiles"


def ensure_packages(project_dir) -> None:
    """Install the project's dbt packages (the local engine package) when they are missing.

    `dbt deps` for a local package only links the folder, so this is quick and offline."""
    project_dir = Path(project_dir)
    if (
        not (project_dir / "packages.yml").is_file()
        or (project_dir / "dbt_packages" / "leadscore").exists()
    ):
        return
    dbt_command(["deps"], project_dir=project_dir)


# --- dbt inside this process -------------------------------------------------------------
# A dbt started as a process spends ~2 CPU-s importing dbt and more parsing before it runs
# anything. `leadscore build` runs dbt here instead (dbtRunner, dbt's programmatic API): one
# parse serves the build and its commit. The tests use the same functions
# (tests/dbt_in_process.py).


def parse_in_process(
    *, project_dir=PROJECT_ROOT, target_path, db_path=None, vars=None, extra_env=None
):
    """The project's parsed manifest (dbt's partial parse applies), or None when the parse
    fails: the command run with manifest=None then parses again and reports the error.
    No manifest.json: the command given this manifest writes its own."""
    parsed = dbt_in_process(
        ["parse", "--no-write-json"],
        project_dir=project_dir,
        target_path=target_path,
        db_path=db_path,
        vars=vars,
        extra_env=extra_env,
        check=False,
    )
    return parsed.manifest if parsed.returncode == 0 else None


def dbt_in_process(
    args,
    *,
    project_dir=PROJECT_ROOT,
    target_path,
    db_path=None,
    vars=None,
    extra_env=None,
    manifest=None,
    capture=True,
    check=True,
):
    """Run `dbt <args>` like dbt_command, in this process. manifest: a parse to reuse (None:
    dbt parses). capture: dbt's console log goes to the result's stdout instead of the
    terminal. Returns a CompletedProcess with dbt's exit code (0 success, 1 a node failed,
    2 dbt itself stopped) and, after `parse`, the parsed manifest as `.manifest`; with check,
    a failure raises instead."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import capture_stdout_logs, stop_capture_stdout_logs

    project_dir = Path(project_dir).absolute()
    ensure_packages(project_dir)
    argv = dbt_argv(args, project_dir, target_path, vars)
    callbacks = [] if manifest is None else [_stamp_invocation(manifest)]
    console = io.StringIO()
    with _dbt_environment(project_dir, db_path, extra_env):
        if capture:
            capture_stdout_logs(console)
        try:
            outcome = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(argv)
        finally:
            if capture:
                stop_capture_stdout_logs()
            _close_duckdb()
    code = 0 if outcome.success else (2 if outcome.exception else 1)
    done = subprocess.CompletedProcess(argv, code, console.getvalue(), str(outcome.exception or ""))
    done.manifest = outcome.result if args[0] == "parse" else None
    return _checked(done, args, check)


def _stamp_invocation(manifest):
    """A command's manifest.json names the command's invocation, as after a parse of its own
    (publish checks that manifest.json and run_results.json come from one `dbt build`)."""

    def on_event(event):
        manifest.metadata.invocation_id = event.info.invocation_id

    return on_event


def _close_duckdb():
    """dbt-duckdb keeps its database open in a class attribute after a command; this process
    may not open the same file again with other settings (publish reads it read-only)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


@contextmanager
def _dbt_environment(project_dir, db_path, extra_env):
    """What a dbt process would get (dbt_env), started in the project folder (relative paths
    resolve there)."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(dbt_env(saved_env, db_path, extra_env))
    os.chdir(project_dir)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
