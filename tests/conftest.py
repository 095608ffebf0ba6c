"""Shared pytest fixtures: real dbt runs on real DuckDB files in temporary folders."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_in_process import dbt_in_process
from leadscore_cli import LEADSCORE, leadscore_as_a_process

from leadscore.settings import DEFAULT_SAMPLE_DIR, PROJECT_ROOT

# The tables the SQL scorer reads: DuckDB builds them only with var scoring_engine = 'sql'
# (engine/models/model/_model.yml), so a test comparing with SQL scoring builds them first.
TREE_TABLES = ("model_tree_members", "model_tree_nodes", "model_tree_paths")

# For builds other than the shared sample build: the unit tests check the SQL on fixed inputs,
# whatever data a test builds, so they run once, in sample_build.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def part_of(*selectors):
    """dbt arguments building only the selected nodes, no unit tests. A data test of two models
    runs only when both are built: the project's dbt default (indirect_selection: cautious, in
    its dbt_project.yml), which every test selecting with part_of relies on."""
    return ["--select", *selectors, *NO_UNIT_TESTS]


class DbtProject:
    """One isolated build: its own database file and target folder (dbt runs in this process:
    tests/dbt_in_process.py)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.db_path = workdir / "warehouse.duckdb"
        self.target_path = workdir / "target"

    def dbt(self, *args, vars=None, check=True, write_json=False):
        """dbt in this process (tests/dbt_in_process.py); write_json: write manifest.json and
        run_results.json, which a test reads rarely."""
        # exports go to this build's folder, not the repository's exports/
        vars = {"export_dir": str(self.workdir / "exports"), **(vars or {})}
        return dbt_in_process(
            list(args),
            db_path=self.db_path,
            target_path=self.target_path,
            vars=vars,
            check=check,
            write_json=write_json,
        )

    @classmethod
    def copy_of(cls, build: "DbtProject", workdir: Path) -> "DbtProject":
        """A writable copy of another build's database in workdir: cheaper than a build."""
        workdir.mkdir(parents=True, exist_ok=True)
        project = cls(workdir)
        shutil.copyfile(build.db_path, project.db_path)
        return project

    def compiled_test_sql(self, name):
        """The SQL of an engine data test as the last dbt command compiled it: its failing rows."""
        return (self.target_path / "compiled/leadscore/data_tests" / f"{name}.sql").read_text()

    def execute(self, sql):
        """A write to the build database, outside dbt (a test arranging a state)."""
        with duckdb.connect(str(self.db_path)) as con:
            con.execute(sql)

    def query(self, sql, params=None):
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def df(self, sql):
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql).df()


# Fixtures that run dbt (or hand a test a dbt project): a test marked `fast` may not use them.
DBT_FIXTURES = {"sample_build", "sample_published", "dbt_project"}


def pytest_collection_modifyitems(config, items):
    """Keep the `fast` layer fast: a fast test that needs a dbt build is a collection error."""
    for item in items:
        uses_dbt = DBT_FIXTURES & set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("fast") and uses_dbt:
            raise pytest.UsageError(
                f"{item.nodeid} is marked fast but uses {', '.join(sorted(uses_dbt))}: "
                "a fast test runs no dbt (docs/development.md)"
            )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """`leadscore build` of the bundled sample, run as the installed command a user runs,
    then the project's unit tests (which that command leaves out): shared by read-only tests.
    tests/test_publish.py checks what the command left: history, exports, published file,
    report."""
    project = DbtProject(tmp_path_factory.mktemp("sample_build"))
    project.db_path = project.workdir / "build" / project.db_path.name  # a folder to create
    project.published_path = project.workdir / "published" / "lead_scoring.duckdb"
    vars_ = {"raw_data_path": str(DEFAULT_SAMPLE_DIR)}
    project.build_stdout = _leadscore_build(project, vars_)
    # Keep the build's manifest and run results: later dbt commands on this project (e.g. the
    # unit tests, docs generate) overwrite target/, and publishing needs the build's own.
    project.build_target_path = project.workdir / "build_target"
    project.build_target_path.mkdir()
    for name in ("manifest.json", "run_results.json"):
        shutil.copyfile(project.target_path / name, project.build_target_path / name)
    _run_unit_tests(project, vars_)
    return project


def _leadscore_build(project: DbtProject, vars_: dict) -> str:
    """`leadscore build` into the project's database, target, exports and published file, as a
    process; returns what it printed."""
    vars_ = {"export_dir": str(project.workdir / "exports"), **vars_}
    argv = ["build", "--db", project.db_path, "--target-path", project.target_path]
    argv += ["--out", project.published_path, "--vars", json.dumps(vars_)]
    build = leadscore_as_a_process(*argv)
    assert build.returncode == 0, build.stdout[-4000:] + "\n" + build.stderr[-4000:]
    return build.stdout


def _run_unit_tests(project: DbtProject, vars_: dict) -> None:
    """Every unit test of the project and the engine, each one run and passed."""
    project.dbt("test", "--select", "test_type:unit", vars=vars_, write_json=True)
    manifest = json.loads((project.target_path / "manifest.json").read_text())
    results = json.loads((project.target_path / "run_results.json").read_text())["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert set(ran) == set(manifest["unit_tests"]) != set()  # (the hooks have results too)
    assert set(ran.values()) == {"pass"}


@pytest.fixture(scope="session")
def sample_published(sample_build):
    """The session build's published file: what BI tools and the report read."""
    return sample_build.published_path


@pytest.fixture
def dbt_project(tmp_path):
    """A fresh, empty build (database + target folder) for a test that writes."""
    return DbtProject(tmp_path)


@pytest.fixture
def sample_copy(tmp_path):
    """A writable copy of the bundled raw sample folder."""
    dest = tmp_path / "raw"
    shutil.copytree(DEFAULT_SAMPLE_DIR, dest)
    return dest


__all__ = ["LEADSCORE", "PROJECT_ROOT", "DbtProject"]
