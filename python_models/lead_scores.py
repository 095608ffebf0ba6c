"""lead_scores: one calibrated engagement score per lead, with rank, tier and reason codes.

Thin dbt Python model: everything happens in leadscore.scoring (see its docstring).
Config model_dir (from dbt var model_dir, set in python_models/scoring.yml) names the artifact;
its sha256 and feature contract are checked before any lead is scored.
"""


def model(dbt, session):
    from leadscore.scoring import score_model

    dbt.config(materialized="table")
    features = dbt.ref("lead_features")
    return score_model(session, features,
                       model_dir=dbt.config.get("model_dir"),
                       batch_size=dbt.config.get("batch_size"))
