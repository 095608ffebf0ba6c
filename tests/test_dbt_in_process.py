"""The in-process dbt of the tests (tests/dbt_in_process.py) reuses one parse per database name
and values of the parse-time vars. That is right only if no other var changes what dbt parses: checked here by
parsing with every other declared var changed, and shown to catch a parse-time var."""

import json

import yaml
from dbt_in_process import PARSE_TIME_VARS, dbt_in_process

from leadscore.settings import PROJECT_ROOT


def declared_vars():
    """Every var the project and the engine declare, with its default."""
    declared = {}
    for path in (PROJECT_ROOT / "engine" / "dbt_project.yml", PROJECT_ROOT / "dbt_project.yml"):
        declared.update(yaml.safe_load(path.read_text())["vars"])
    return declared


# A valid value other than the default for every var dbt should read only when it runs (models
# check their vars while dbt parses them, so an invalid value would stop the parse).
RUNTIME_VARS_CHANGED = {
    "raw_data_path": "/elsewhere/raw",
    "as_of": "2026-01-02",
    "tier_min_scores": [0.3, 0.5, 0.7],
    "rollout_gates": [0.4, 0.3],
    "target_precision": 0.5,
    "max_rejected_share": 0.1,
    "max_not_applied_share": 0.5,
    "k": 101,
    "threshold": 0.55,
    "recontact_window_days": 91,
    "phase1_k": 51,
    "phase1_campaign_id": "another-campaign",
    "min_outcomes": 31,
    "export_dir": "/elsewhere/exports",
    "commit_on_run_end": False,
    "ab_seed": "another-seed",
    "ab_model_share": 0.6,
    "ab_alpha": 0.01,
    "ab_power": 0.9,
    "psi_epsilon": 0.25,
    "coverage_target_min": 0.05,
    "coverage_target_max": 0.3,
    "retrain_max_model_age_days": 92,
    "retrain_min_new_outcomes": 501,
    "cost_per_contact": 12,
    "value_per_response": 400,
}


def parsed(tmp_path, name, vars):
    """What dbt parsed: per node, unit test, source and exposure its config and what it
    depends on, and which nodes are disabled."""
    target = tmp_path / name
    dbt_in_process(["parse"], db_path=tmp_path / "warehouse.duckdb", target_path=target, vars=vars)
    manifest = json.loads((target / "manifest.json").read_text())
    sections = ("nodes", "unit_tests", "sources", "exposures")
    found = {
        uid: (item.get("config"), item.get("depends_on"))
        for section in sections
        for uid, item in manifest[section].items()
    }
    return found | {f"disabled:{uid}": True for uid in manifest["disabled"]}


def test_only_the_parse_time_vars_change_what_dbt_parses(tmp_path):
    # a var added to the project is sorted here: read at parse time, or changed below
    assert set(declared_vars()) == set(PARSE_TIME_VARS) | set(RUNTIME_VARS_CHANGED)
    default = parsed(tmp_path, "default", {})
    assert parsed(tmp_path, "runtime_vars_changed", RUNTIME_VARS_CHANGED) == default
    # the comparison sees a parse-time var: the SQL engine disables the Python scorer and
    # enables the trees it reads (a var on the command line reaches the models' YAML)
    sql_engine = parsed(tmp_path, "sql_engine", {"scoring_engine": "sql"})
    assert sql_engine != default
    python_only = {
        "disabled:model.leadscore.lead_margins",
        "disabled:model.leadscore.lead_contributions",
    }
    sql_only = {
        "disabled:model.leadscore.model_tree_nodes",
        "disabled:model.leadscore.model_tree_paths",
    }
    assert python_only <= set(sql_engine) and not sql_only & set(sql_engine)
    assert sql_only <= set(default) and not python_only & set(default)
