"""lead_margins: the deployed model's margin (log-odds) for every lead, computed by XGBoost.

The DuckDB fast path of lead_scores (dbt-duckdb runs Python models in-process); on other
adapters lead_scores computes the same margin in SQL from the artifact's trees. Thin: the work
is in leadscore.scoring. Config model_dir / batch_size come from the dbt vars (see
_scoring_python.yml); every artifact file is checked against SHA256SUMS first.
"""

import sys


def import_xgboost_without_sklearn():
    """Import xgboost in dbt's process without scikit-learn.

    When scikit-learn is installed, `import xgboost` imports it (and SciPy) for its
    sklearn-style wrappers: about 1 CPU-second and 2-3 s wall of every build, for classes the
    scorer never uses. Nothing else in dbt's process uses xgboost, so scikit-learn is hidden
    while xgboost loads (it then defines its wrappers without sklearn) and visible again after.
    Does nothing when either is already imported."""
    if "xgboost" in sys.modules or "sklearn" in sys.modules:
        return
    sys.modules["sklearn"] = None  # makes `import sklearn` raise ImportError
    try:
        import xgboost  # noqa: F401
    finally:
        del sys.modules["sklearn"]


def model(dbt, session):
    import_xgboost_without_sklearn()
    from leadscore.scoring import margins_table

    dbt.config(materialized="table")
    return margins_table(
        session,
        dbt.ref("lead_features"),
        model_dir=dbt.config.get("model_dir"),
        batch_size=dbt.config.get("batch_size"),
    )
