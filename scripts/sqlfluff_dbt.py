"""sqlfluff with the dbt templater, fitted to this repository (see docs/development.md).

    python scripts/sqlfluff_dbt.py lint [--project-dir DIR] [--vars JSON] [sqlfluff options] PATHS...
    (also fix, format, render, parse; `make lint` runs the three below)

    python scripts/sqlfluff_dbt.py lint models engine        # root project + engine package
    python scripts/sqlfluff_dbt.py lint --vars '{"scoring_engine": "sql"}' engine/models/model
    python scripts/sqlfluff_dbt.py lint --project-dir examples/x_education examples/x_education

Run it from the repository root. One run lints the nodes of one dbt project (--project-dir,
default the root) and of the packages it installs, as dbt parses them with the given dbt vars
(--vars). A model those vars disable is skipped, saying so: lint it in a run whose vars enable
it (the Makefile lints SQL scoring's models that way).
Configuration: .sqlfluff and .sqlfluffignore at the root.

It closes two gaps of sqlfluff-templater-dbt 4.4 with dbt 1.11:
1. Files of a dbt package. dbt records a package node's original_file_path relative to the
   PACKAGE root (`models/monitoring/coverage.sql`), while the templater looks files up
   relative to the root project. Every engine file would be "not found in dbt project" and
   skipped with a mere warning. `_find_node` below also tries <package root>/<path>, and a
   file it still cannot place is an error, not a skip.
2. Compiling without a warehouse. The templater compiles in execute mode, where the engine's
   macros introspect tables (get_columns_in_relation, run_query) that exist only after a
   build. Here nodes compile as `dbt parse` renders them (execute = False): every macro, ref,
   var and adapter.dispatch is dbt's own, no query is sent, and the profile points at an
   in-memory DuckDB. Code under `{% if execute %}` is not linted.
Macro files are not nodes and are skipped (their SQL is checked where models expand it).
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _package_roots(templater) -> dict[str, Path]:
    """Package name -> folder of each dbt project the manifest was loaded from."""
    return {
        name: Path(project.project_root).resolve()
        for name, project in templater.dbt_config.load_dependencies().items()
    }


def _node_in_package(templater, abs_path: Path, nodes=None):
    """The manifest node whose file, resolved against its own package root, is abs_path."""
    roots = _package_roots(templater)
    for node in templater.dbt_manifest.nodes.values() if nodes is None else nodes:
        root = roots.get(node.package_name)
        if root is not None and (root / node.original_file_path).resolve() == abs_path:
            return node
    return None


def _is_disabled_model(templater, abs_path: Path) -> bool:
    """True for a model the run's vars disable (Makefile: another run lints it)."""
    disabled = [n for versions in templater.dbt_manifest.disabled.values() for n in versions]
    return _node_in_package(templater, abs_path, disabled) is not None


def _is_package_macro(templater, abs_path: Path) -> bool:
    """True for a macro file (generic tests included) of any package."""
    roots = _package_roots(templater)
    return any(
        (roots[m.package_name] / m.original_file_path).resolve() == abs_path
        for m in templater.dbt_manifest.macros.values()
        if m.package_name in roots
    )


def _check_unique_path(templater, node) -> None:
    """The templater recognises the node being compiled by original_file_path alone."""
    twins = [
        other.unique_id
        for other in templater.dbt_manifest.nodes.values()
        if other.original_file_path == node.original_file_path and other.unique_id != node.unique_id
    ]
    if twins:
        from sqlfluff.core.errors import SQLTemplaterError

        raise SQLTemplaterError(
            f"{node.unique_id} shares its path {node.original_file_path} with {twins}: "
            "the dbt templater cannot tell them apart; rename one of the files."
        )


def patch_dbt_templater(dbt_vars: dict) -> None:
    from dbt.context.providers import RuntimeProvider
    from sqlfluff.core.errors import SQLFluffSkipFile, SQLTemplaterError
    from sqlfluff_templater_dbt.templater import DbtTemplater

    RuntimeProvider.execute = False  # compile as dbt parses: no warehouse needed
    DbtTemplater._get_cli_vars = lambda self: dbt_vars
    find_node = DbtTemplater._find_node

    def _find_node(self, fname, config=None, *dbt_dir):
        try:
            node = find_node(self, fname, config, *dbt_dir)
        except SQLFluffSkipFile as skip:
            if "not found in dbt project" not in str(skip):
                raise  # a macro or a disabled node: skipping is right
            abs_path = Path(fname).resolve()
            if _is_package_macro(self, abs_path):
                raise SQLFluffSkipFile(f"Skipped file {fname} because it is a macro") from None
            if _is_disabled_model(self, abs_path):
                raise SQLFluffSkipFile(
                    f"Skipped file {fname}: these vars disable it (lint it with --vars that "
                    "enable it)"
                ) from None
            node = _node_in_package(self, abs_path)
            if node is None:
                raise SQLTemplaterError(
                    f"{fname} is no node of the dbt project in {self.project_dir} "
                    "(another dbt project is linted in its own run: --project-dir)"
                ) from None
        _check_unique_path(self, node)
        return node

    DbtTemplater._find_node = _find_node


def _pop_option(argv: list[str], name: str, meaning: str) -> tuple[str | None, list[str]]:
    """The value of the wrapper's own option `name` (None when absent), and the other args."""
    if name not in argv:
        return None, argv
    i = argv.index(name)
    if i + 1 == len(argv):
        sys.exit(f"{name} needs {meaning}")
    return argv[i + 1], argv[:i] + argv[i + 2 :]


def _project_dir(value: str | None) -> Path:
    if value is None:
        return ROOT
    project_dir = (ROOT / value).resolve()
    if not (project_dir / "dbt_project.yml").is_file():
        sys.exit(f"--project-dir {value}: no dbt_project.yml in {project_dir}")
    return project_dir


def _dbt_vars(value: str | None) -> dict:
    try:
        dbt_vars = json.loads(value or "{}")
    except json.JSONDecodeError as exc:
        sys.exit(f"--vars must be a JSON object: {exc}")
    if not isinstance(dbt_vars, dict):
        sys.exit('--vars must be a JSON object, e.g. \'{"scoring_engine": "sql"}\'')
    return dbt_vars


def main(argv: list[str]) -> int:
    if Path.cwd().resolve() != ROOT:
        # .sqlfluff's profiles_dir and the paths given are relative to the root
        sys.exit(f"run scripts/sqlfluff_dbt.py from the repository root ({ROOT})")
    project_value, argv = _pop_option(argv, "--project-dir", "a folder holding a dbt_project.yml")
    vars_value, argv = _pop_option(argv, "--vars", "a JSON object of dbt vars")
    project_dir, dbt_vars = _project_dir(project_value), _dbt_vars(vars_value)
    # .sqlfluff leaves project_dir unset, so the templater reads it from here
    os.environ["DBT_PROJECT_DIR"] = str(project_dir)
    os.environ.pop("DBT_ENGINE_PROJECT_DIR", None)
    os.environ["LEADSCORE_DB"] = ":memory:"  # lint never opens a build database
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    sys.path.insert(0, str(ROOT / "ml"))
    from leadscore.dbt_runner import ensure_packages

    ensure_packages(project_dir)  # dbt deps: links dbt_packages/leadscore -> engine
    patch_dbt_templater(dbt_vars)
    from sqlfluff.cli.commands import cli

    return cli.main(args=argv, prog_name="sqlfluff_dbt", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
