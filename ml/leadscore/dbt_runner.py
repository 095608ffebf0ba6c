"""Run the dbt CLI on an input project (default: the repository root): one way, used by
`leadscore build` and by the tests."""

import json
import os
import subprocess
import sys
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
    env = dict(os.environ)
    if db_path is not None:
        env["LEADSCORE_DB"] = str(db_path)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.update(extra_env or {})
    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(profiles_dir(project_dir)),
    ]
    if target_path is not None:
        cmd += ["--target-path", str(target_path)]
        env["DBT_LOG_PATH"] = str(Path(target_path) / "logs")
    if vars:
        cmd += ["--vars", json.dumps(vars)]
    # check=False: the caller's `check` decides, and the error carries dbt's own output.
    result = subprocess.run(
        cmd, cwd=project_dir, env=env, text=True, capture_output=capture, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"dbt {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


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
