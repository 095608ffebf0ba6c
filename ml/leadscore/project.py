"""The input project a command works on, and its default paths.

An input project is a dbt project that installs the engine package (engine/) and provides the
input_* models: the LinkedIn project at the repository root (the default), examples/x_education,
or yours. `leadscore build | publish | train --project-dir DIR` work on any of them; every
default path lives inside the project's folder (the build database: settings.warehouse_path),
so two projects never share a build.
"""

import argparse
from pathlib import Path

from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=PROJECT_ROOT,
        help="the input project: a dbt project that installs the engine package "
        "(default: the repository root, the LinkedIn project)",
    )


def target_path(project_dir) -> Path:
    return Path(project_dir) / "target"


def published_path(project_dir) -> Path:
    return Path(project_dir) / "published" / "lead_scoring.duckdb"


def default_var(project_dir, name: str):
    """The default of dbt var `name` in the project's dbt_project.yml (None when it sets none).

    Raises UserError when the file cannot be read or parsed: a default must never silently
    turn into None."""
    import yaml

    project_file = Path(project_dir) / "dbt_project.yml"
    try:
        with open(project_file, encoding="utf-8") as fh:
            config = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read the {name} default from {project_file}: {exc}") from None
    if not isinstance(config, dict):
        raise UserError(f"{project_file} is not a YAML mapping; cannot read the {name} default")
    project_vars = config.get("vars") or {}
    value = project_vars.get(name) if isinstance(project_vars, dict) else None
    return None if value in (None, "") else value


def model_dir(project_dir) -> Path:
    """The artifact the project scores with (its var model_dir), where training writes by default.

    A relative path resolves against the project folder, as it does for dbt."""
    value = default_var(project_dir, "model_dir")
    if value is None:
        raise UserError(
            f"{Path(project_dir) / 'dbt_project.yml'} sets no model_dir var: pass --out"
        )
    return Path(project_dir) / str(value)
