"""active_model: one row with the deployed model card's facts (threshold, base rate, tiers, gates).

Thin dbt Python model (see leadscore.scoring.active_model_table). SQL models read thresholds,
tiers and gates from here, so the model card stays the single source of these numbers.
"""


def model(dbt, session):
    from leadscore.scoring import active_model_table

    dbt.config(materialized="table")
    return active_model_table(dbt.config.get("model_dir"))
