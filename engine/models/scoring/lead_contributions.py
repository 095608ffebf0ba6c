"""lead_contributions: each feature's contribution to the deployed margin, computed by XGBoost,
for the leads on an outreach list (listed_leads).

The DuckDB fast path of lead_reasons (XGBoost's approx_contribs; the same contributions in SQL
are ~4x slower at 10M leads: benchmarks/README.md); on other adapters lead_reasons computes
them in SQL from the artifact's trees. Thin: the work is in leadscore.scoring. Config model_dir / batch_size come
from the dbt vars (_scoring.yml); every artifact file is checked against SHA256SUMS first.
"""


def model(dbt, session):
    from leadscore.scoring import contributions_table, import_xgboost_without_sklearn

    import_xgboost_without_sklearn()

    dbt.config(materialized="table")
    return contributions_table(
        session,
        dbt.ref("lead_features"),
        dbt.ref("listed_leads"),
        model_dir=dbt.config.get("model_dir"),
        batch_size=dbt.config.get("batch_size"),
    )
