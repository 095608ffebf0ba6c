"""lead_margins: the deployed model's margin (log-odds) for every lead, computed by XGBoost.

The DuckDB fast path of lead_scores (dbt-duckdb runs Python models in-process); on other
adapters lead_scores computes the same margin in SQL from the artifact's trees. Thin: the work
is in leadscore.scoring. Config model_dir / batch_size come from the dbt vars (see
_scoring.yml); every artifact file is checked against SHA256SUMS first.
"""


def model(dbt, session):
    from leadscore.scoring import import_xgboost_without_sklearn, margins_table

    import_xgboost_without_sklearn()

    dbt.config(materialized="table")
    return margins_table(
        session,
        dbt.ref("lead_features"),
        model_dir=dbt.config.get("model_dir"),
        batch_size=dbt.config.get("batch_size"),
    )
