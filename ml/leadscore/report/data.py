"""Read the report's tables from the published DuckDB file, read-only, and nothing else.

The report shows exactly what BI tools see: every chart is drawn from a published table
(lead_scoring.duckdb), never from the build database, the artifact or dbt's files.
"""

from pathlib import Path

import duckdb

from leadscore.errors import UserError
from leadscore.publish import INFO_TABLE

# Each table the report reads, with the order its rows are drawn in.
TABLES = {
    "publish_info": "published_at",
    "report_model_summary": "model_version",
    "data_quality_summary": "raw_file",
    "cv_precision_at_k": "k",
    "precision_at_k": "evaluated_set, k",
    "lift_by_decile": "evaluated_set, decile",
    "report_calibration_bins": "evaluated_set, bin",
    "threshold_curve": "evaluated_set, threshold",
    "report_thresholds": "score",
    "report_score_histogram": "population, bin",
    "score_drift": "measure",
    "feature_drift": "feature",
    "feature_drift_bins": "feature, bin",
    "campaign_performance": "last_contacted_at, campaign_id",
    "weekly_precision": "week_start",
    "campaign_ab_test": "campaign_id",
    "rollout_phase2_calibration": "campaign_id",
    "economics_by_k": "k",
    "economics_summary": "eligible_leads",
}


def load_tables(published: Path) -> dict:
    """Every table of TABLES as a pandas DataFrame, from a read-only connection."""
    published = Path(published)
    if not published.is_file():
        raise UserError(f"published file not found: {published} (run `leadscore build` first)")
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open the published file {published} read-only: {exc}") from None
    try:
        present = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        }
        if INFO_TABLE not in present:
            raise UserError(
                f"{published} is not a published file (no {INFO_TABLE} table): the report reads "
                "what `leadscore build` / `leadscore publish` write, not the build database"
            )
        missing = sorted(set(TABLES) - present)
        if missing:
            raise UserError(
                f"{published} lacks the report's tables {', '.join(missing)}: it was "
                "published by an older version; build again"
            )
        return {
            name: con.execute(f'select * from "{name}" order by {order}').df()
            for name, order in TABLES.items()
        }
    finally:
        con.close()


def precision_summary(published: Path) -> str:
    """A short text table of precision@K with its 95% interval: cross-validation, then each
    campaign evaluated by its score at contact (from the published precision_at_k)."""
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(
            "select evaluated_set, k, n, hits, precision, ci_low, ci_high, lift from precision_at_k "
            "order by evaluated_set <> 'cross_validation', evaluated_set, k"
        ).fetchall()
    lines = [
        f"  {'evaluated set':<20} {'K':>5} {'hits':>9} {'precision':>10}   {'95% CI':<15} {'lift':>5}"
    ]
    for evaluated_set, k, n, hits, precision, low, high, lift in rows:
        shown = "-" if precision is None else f"{precision:.1%}"
        interval = "" if low is None else f"{low:.1%} - {high:.1%}"
        lift_text = "-" if lift is None else f"{lift:.2f}"
        lines.append(
            f"  {evaluated_set:<20} {k:>5} {f'{hits}/{n}':>9} {shown:>10}   {interval:<15} {lift_text:>5}"
        )
    return "\n".join(lines)
