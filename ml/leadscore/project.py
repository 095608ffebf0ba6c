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


def _project_config(project_file: Path, what: str) -> dict:
    """A dbt_project.yml as a dict. Raises UserError when the file cannot be read or parsed
    (`what` says what was being looked up): nothing may silently turn into None."""
    import yaml

    try:
        with open(project_file, encoding="utf-8") as fh:
            config = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read {what} from {project_file}: {exc}") from None
    if not isinstance(config, dict):
        raise UserError(f"{project_file} is not a YAML mapping; cannot read {what}")
    return config


def _project_vars(project_file: Path, what: str) -> dict:
    """The `vars:` block of a dbt_project.yml."""
    project_vars = _project_config(project_file, what).get("vars") or {}
    return project_vars if isinstance(project_vars, dict) else {}


def project_name(project_dir) -> str | None:
    """The dbt project's name (its dbt_project.yml `name`)."""
    return _project_config(Path(project_dir) / "dbt_project.yml", "the project name").get("name")


def default_var(project_dir, name: str):
    """The default of dbt var `name` in the project's dbt_project.yml (None when it sets none)."""
    value = _project_vars(Path(project_dir) / "dbt_project.yml", f"the {name} default").get(name)
    return None if value in (None, "") else value


def check_var_names(project_dir, vars_) -> None:
    """Refuse a var that neither the input project nor the engine declares: dbt ignores it, so a
    misspelt `raw_data_dir` would score the default folder and go green.

    Declared: the `vars:` of the project's dbt_project.yml (package-scoped blocks included) and
    of the engine package it installed (dbt_packages/leadscore)."""
    project_dir = Path(project_dir)
    declared = set()
    for project_file in (
        project_dir / "dbt_project.yml",
        project_dir / "dbt_packages" / "leadscore" / "dbt_project.yml",
    ):
        for name, value in _project_vars(project_file, "the declared vars").items():
            # a package-scoped block (`leadscore: {k: 250}`) declares its keys
            declared |= {name} | (set(value) if isinstance(value, dict) else set())
    unknown = [name for name in vars_ or {} if name not in declared]
    if unknown:
        import difflib

        by_lower = {name.lower(): name for name in declared}  # `K` is a near miss of `k`
        named = [
            name
            + "".join(
                f" (did you mean {by_lower[m]}?)"
                for m in difflib.get_close_matches(name.lower(), by_lower, 1)
            )
            for name in unknown
        ]
        raise UserError(
            f"--vars: unknown var(s) {', '.join(named)}: neither {project_dir / 'dbt_project.yml'} "
            "nor the engine declares them, and dbt would ignore them"
        )


def model_dir(project_dir) -> Path:
    """The artifact the project scores with (its var model_dir), where training writes by default.

    A relative path resolves against the project folder, as it does for dbt."""
    value = default_var(project_dir, "model_dir")
    if value is None:
        raise UserError(
            f"{Path(project_dir) / 'dbt_project.yml'} sets no model_dir var: pass --out"
        )
    return Path(project_dir) / str(value)


def check_relative_paths(project_dir, vars_) -> None:
    """A relative raw folder in --vars resolves against the project folder, where dbt runs, not
    the folder the command was started in: one that exists only here is refused, naming both
    (else the build reports "no leads.csv" in a folder the user never meant). Not export_dir:
    an output folder the build creates, which may exist here for another project."""
    project_dir = Path(project_dir)
    if Path.cwd().resolve() == project_dir.resolve():
        return
    value = (vars_ or {}).get("raw_data_path")
    if not isinstance(value, str) or not value.strip() or Path(value).expanduser().is_absolute():
        return
    here, there = Path.cwd() / value.strip(), project_dir / value.strip()
    if here.exists() and not there.exists():
        raise UserError(
            f"--vars raw_data_path={value!r} is relative: dbt resolves it against the project "
            f"folder {project_dir}, where it does not exist; it exists here: pass {here}"
        )
