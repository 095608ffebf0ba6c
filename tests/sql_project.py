"""A throwaway dbt project around the engine's XGBoost SQL macros, for tests and benchmarks.

The project installs the engine package (engine/, its models disabled: only its macros are
used), holds model tables written from leadscore.trees as JSON lines and read by dbt models
(<name>_nodes, <name>_members, <name>_paths), feature tables written straight into its DuckDB
file (dbt source `input`), and the scoring models the caller adds. So the SQL that runs is
exactly what dbt renders from the real macros.

    project = SqlScoringProject(tmp_dir)
    project.add_model_tables("sample", booster)          # or a list of boosters
    project.add_features("features_sample", arrow_table)  # key column(s) + feature columns
    project.add_model("margin_sample",
        "{{ leadscore.xgboost_margin_sql(source('input', 'features_sample'), ref('sample_nodes'), "
        "ref('sample_members'), ['lead_id']) }}")
    project.dbt("run")
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from leadscore import trees
from leadscore.dbt_runner import dbt_in_process
from leadscore.settings import PROJECT_ROOT

PROJECT_NAME = "xgboost_sql_check"

# Column -> SQL type of the three tree tables (floats are DOUBLE: a double holds a float32 exactly).
TABLE_COLUMNS = {
    "nodes": {
        "member": "INTEGER",
        "tree": "INTEGER",
        "node": "INTEGER",
        "is_leaf": "BOOLEAN",
        "feature": "VARCHAR",
        "feature_index": "INTEGER",
        "split": "DOUBLE",
        "left_child": "INTEGER",
        "right_child": "INTEGER",
        "missing_left": "BOOLEAN",
        "leaf_value": "DOUBLE",
        "leaf_position": "INTEGER",
        "mean_value": "DOUBLE",
        "cover": "DOUBLE",
    },
    "members": {"member": "INTEGER", "base_margin": "DOUBLE", "trees": "INTEGER"},
    "paths": {
        "member": "INTEGER",
        "tree": "INTEGER",
        "leaf": "INTEGER",
        "leaf_position": "INTEGER",
        "feature": "VARCHAR",
        "feature_index": "INTEGER",
        "member_contribution": "DOUBLE",
        "contribution": "DOUBLE",
    },
}

_PROJECT_YML = f"""name: {PROJECT_NAME}
version: "1.0.0"
config-version: 2
profile: {PROJECT_NAME}
model-paths: ["models"]
macro-paths: ["macros"]
models:
  {PROJECT_NAME}:
    +materialized: table
  leadscore:
    +enabled: false
data_tests:
  leadscore:
    +enabled: false
unit_tests:
  leadscore:
    +enabled: false
exposures:
  leadscore:
    +enabled: false
"""

# LEADSCORE_DB is set by dbt_runner.dbt_in_process from db_path.
_PROFILES_YML = f"""{PROJECT_NAME}:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{{{ env_var('LEADSCORE_DB') }}}}"
      threads: 2
"""


class SqlScoringProject:
    """A dbt project in `root` with its own DuckDB file (root/warehouse.duckdb)."""

    def __init__(self, root):
        self.root = Path(root)
        self.db_path = self.root / "warehouse.duckdb"
        self.feature_tables: list[str] = []
        (self.root / "models").mkdir(parents=True, exist_ok=True)
        (self.root / "profiles").mkdir(exist_ok=True)
        (self.root / "dbt_project.yml").write_text(_PROJECT_YML, encoding="utf-8")
        (self.root / "profiles" / "profiles.yml").write_text(_PROFILES_YML, encoding="utf-8")
        (self.root / "packages.yml").write_text(
            f"packages:\n  - local: {PROJECT_ROOT / 'engine'}\n", encoding="utf-8"
        )

    def add_model_tables(self, name: str, boosters) -> None:
        """Write the booster(s) as JSON lines and add models <name>_nodes, _members, _paths."""
        folder = self.root / "model_tables" / name
        folder.mkdir(parents=True, exist_ok=True)
        for artifact_name, rows in trees.tree_tables(boosters).items():
            table = artifact_name.removeprefix("tree_")
            path = folder / f"{table}.jsonl"
            path.write_text(
                "".join(json.dumps(r, allow_nan=False) + "\n" for r in rows), encoding="utf-8"
            )
            columns = ", ".join(f"'{c}': '{t}'" for c, t in TABLE_COLUMNS[table].items())
            self.add_model(
                f"{name}_{table}",
                f"select * from read_json('{path}', format = 'newline_delimited', "
                f"columns = {{{columns}}})",
            )

    def add_features(self, table: str, data) -> None:
        """Create (or replace) table `table` in the warehouse from an Arrow table or DataFrame;
        dbt reads it as source('input', table)."""
        with duckdb.connect(str(self.db_path)) as con:
            con.register("__features", data)
            con.execute(f'create or replace table "{table}" as select * from __features')
            con.unregister("__features")
        if table not in self.feature_tables:
            self.feature_tables.append(table)
        sources = {
            "version": 2,
            "sources": [
                {
                    "name": "input",
                    "schema": "main",
                    "tables": [{"name": t} for t in self.feature_tables],
                }
            ],
        }
        (self.root / "models" / "_sources.yml").write_text(
            json.dumps(sources, indent=2), encoding="utf-8"
        )

    def add_model(self, name: str, sql: str) -> None:
        (self.root / "models" / f"{name}.sql").write_text(sql + "\n", encoding="utf-8")

    def dbt(self, *args, check: bool = True):
        """Run dbt on this project, inside this process; raises on failure unless check=False."""
        return dbt_in_process(
            list(args),
            db_path=self.db_path,
            target_path=self.root / "target",
            project_dir=self.root,
            check=check,
        )

    def compiled_sql(self, model: str) -> str:
        """The SQL dbt rendered for a model (after `dbt compile` or `dbt run`)."""
        path = self.root / "target" / "compiled" / PROJECT_NAME / "models" / f"{model}.sql"
        return path.read_text(encoding="utf-8")

    def connect(self, read_only: bool = True):
        return duckdb.connect(str(self.db_path), read_only=read_only)
