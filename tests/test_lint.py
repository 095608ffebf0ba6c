"""scripts/sqlfluff_dbt.py: the engine package's files are linted, compiled by dbt without a
warehouse, and a SQL file that is no dbt node fails the lint instead of being skipped."""

import subprocess
import sys

from leadscore.settings import PROJECT_ROOT

WRAPPER = PROJECT_ROOT / "scripts" / "sqlfluff_dbt.py"


def sqlfluff(*args):
    return subprocess.run(
        [sys.executable, str(WRAPPER), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_engine_model_is_compiled_by_dbt():
    result = sqlfluff("render", "engine/models/monitoring/coverage.sql")
    assert result.returncode == 0, result.stdout + result.stderr
    # ref() resolved by dbt, the engine's var default and its dispatched type macro applied
    assert '"main"."model_card"' in result.stdout
    assert "cast(0.1 as double) as target_min_share" in result.stdout


def test_engine_model_reading_the_warehouse_compiles_without_one():
    # checked_features() introspects input_lead_features when dbt executes; at parse time not
    result = sqlfluff("render", "engine/models/interface/lead_features.sql")
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"main"."input_lead_features"' in result.stdout


def test_sql_file_that_is_no_dbt_node_fails(tmp_path):
    stray = tmp_path / "stray.sql"
    stray.write_text("select 1 as x\n")
    # --config: sqlfluff reads .sqlfluff only for files under the folder it runs in
    result = sqlfluff("lint", "--config", ".sqlfluff", str(stray))
    assert result.returncode != 0
    assert "is no node of the dbt project" in result.stdout


def test_model_disabled_by_the_vars_is_skipped_and_linted_under_vars_that_enable_it():
    trees = "engine/models/model/model_tree_members.sql"
    skipped = sqlfluff("render", trees)  # DuckDB scores in Python: the trees are disabled
    assert "these vars disable it" in skipped.stdout + skipped.stderr
    rendered = sqlfluff("render", "--vars", '{"scoring_engine": "sql"}', trees)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert "base_margin" in rendered.stdout
