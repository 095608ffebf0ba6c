"""The report's HTML tables (header facts, campaigns, phase 2, economics options), each from
published tables, every text escaped."""

import html
import math

import pandas as pd


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def pct(value) -> str:
    return "-" if _missing(value) else f"{value:.1%}"


def num(value, digits=0) -> str:
    return "-" if _missing(value) else f"{value:,.{digits}f}"


def p_value(value) -> str:
    return "-" if _missing(value) else "< 0.001" if value < 0.001 else f"{value:.3f}"


def interval(low, high, fmt=pct) -> str:
    return "-" if _missing(low) or _missing(high) else f"{fmt(low)} - {fmt(high)}"


def when(value) -> str:
    """A time as UTC, to the second. A time with a zone (publish_info.published_at, read in the
    machine's zone) is converted: every time in the report is UTC, wherever it is drawn."""
    if _missing(value):
        return "-"
    moment = pd.Timestamp(value)
    if moment.tzinfo is not None:
        moment = moment.tz_convert("UTC").tz_localize(None)
    return str(moment.floor("s"))


def table(rows: list, headers: list, table_id: str) -> str:
    """An HTML table of already formatted cells."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def facts(pairs: list, list_id: str) -> str:
    """A definition list of (label, value) pairs."""
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in pairs)
    return f'<dl id="{list_id}">{items}</dl>'


def backfill_note(build: pd.Series) -> str:
    """Said when the published build was a backfill (var as_of set): its tables describe that
    moment, not today."""
    as_of = build.get("as_of_var")
    return "" if as_of is None or pd.isna(as_of) else f": a backfill, var as_of {as_of}"


def header_facts(summary: pd.DataFrame, info: pd.DataFrame) -> str:
    model, build = summary.iloc[0], info.iloc[0]
    return facts(
        [
            ("model version", model.model_version),
            (
                "trained",
                f"{when(model.model_created_at)} on {num(model.training_rows)} contacts "
                f"({num(model.training_positives)} responded, base rate {pct(model.base_rate)}), "
                f"contacted {when(model.trained_from)} to {when(model.trained_through)}",
            ),
            (
                "features / calibration",
                f"{model.feature_count} features, {model.calibration_method}",
            ),
            (
                "leads scored",
                f"{num(model.scored_leads)} (features as of {when(model.feature_as_of)}"
                f"{backfill_note(build)}), {num(model.eligible_leads)} eligible for outreach",
            ),
            (
                "data quality",
                f"{num(model.rows_read)} raw rows read from {model.raw_files} files: "
                f"{num(model.rows_accepted)} accepted, {num(model.rows_rejected)} rejected, "
                f"{num(model.values_set_to_null)} bad values set to NULL",
            ),
            (
                "built",
                f"published {when(build.published_at)} (dbt {build.dbt_version}, run "
                f"{build.dbt_invocation_id}) from raw data {build.raw_data_path}",
            ),
        ],
        "report-facts",
    )


def data_quality(dq: pd.DataFrame) -> str:
    rows = [
        (
            r.raw_file,
            r.source_file or "(absent)",
            num(r.input_rows),
            num(r.accepted_rows),
            num(r.rejected_rows),
            num(r.values_set_to_null),
        )
        for r in dq.itertuples()
    ]
    return table(
        rows,
        ["raw file", "path", "rows read", "accepted", "rejected", "values set to NULL"],
        "data-quality",
    )


def precision_at_k(pak: pd.DataFrame) -> str:
    rows = [
        (
            r.evaluated_set,
            r.k,
            f"{r.hits}/{r.n}",
            pct(r.precision),
            interval(r.ci_low, r.ci_high),
            num(r.lift, 2),
        )
        for r in pak.itertuples()
    ]
    return table(
        rows, ["evaluated set", "K", "hits", "precision", "95% interval", "lift"], "precision-at-k"
    )


def campaigns(performance: pd.DataFrame, ab: pd.DataFrame) -> str:
    merged = performance.merge(
        ab[["campaign_id", "test_status", "p_value"]], on="campaign_id", how="left"
    )
    rows = [
        (
            r.campaign_id,
            when(r.last_contacted_at),
            num(r.list_contacted),
            num(r.known_outcomes),
            num(r.responded),
            pct(r.actual_precision),
            interval(r.ci_low, r.ci_high),
            pct(r.expected_precision),
            num(r.lift_vs_baseline, 2),
            r.baseline_source,
            _with_certainty(r.decision, r.decision_certainty),
            r.test_status,
            p_value(r.p_value),
        )
        for r in merged.sort_values("last_contacted_at", ascending=False).itertuples()
    ]
    return table(
        rows,
        [
            "campaign",
            "last contact",
            "list contacted",
            "known",
            "responded",
            "precision",
            "95% interval",
            "expected",
            "lift",
            "baseline",
            "decision",
            "A/B test",
            "p-value",
        ],
        "campaigns",
    )


def _with_certainty(decision, certainty) -> str:
    """'proceed (clear)' / 'stop (uncertain)': whether the interval already lies inside the band."""
    return decision if _missing(certainty) else f"{decision} ({certainty})"


def phase2(phase2_rows: pd.DataFrame) -> str:
    """The rollout's phase-2 verdict with its precision option and ROI option side by side."""
    r = phase2_rows.iloc[0]
    roi = (
        "set cost and value"
        if r.economics_status != "ok"
        else "-"
        if _missing(r.roi_recommended_k)
        else f"K = {num(r.roi_recommended_k)} (profit within noise of the best for K = "
        f"{num(r.roi_k_low)} - {num(r.roi_k_high)}), threshold {num(r.roi_recommended_threshold, 4)}, "
        f"{num(r.roi_expected_responses, 1)} expected responses, expected profit "
        f"{num(r.roi_expected_profit, 0)}, ROI {pct(r.roi_return_on_cost)}"
    )
    precision = (
        "-"
        if _missing(r.recommended_k)
        else f"K = {num(r.recommended_k)}, threshold {num(r.recommended_threshold, 4)}, expected "
        f"precision {pct(r.recommended_expected_precision)} (target {pct(r.target_precision)})"
    )
    return facts(
        [
            ("phase-1 campaign", r.campaign_id),
            (
                "outcomes",
                f"{num(r.known)} known of {num(r.contacted)} contacted ({num(r.pending)} pending; "
                f"a verdict needs {num(r.min_outcomes)})",
            ),
            (
                "observed precision",
                f"{pct(r.observed_precision)} (95% interval "
                f"{interval(r.observed_ci_low, r.observed_ci_high)}), predicted "
                f"{pct(r.predicted_precision)}",
            ),
            (
                "gate decision",
                f"{_with_certainty(r.gate, r.gate_certainty)} (proceed >= "
                f"{pct(r.gate_proceed)}, recalibrate >= {pct(r.gate_recalibrate)})",
            ),
            ("precision option", precision),
            ("ROI option", roi),
        ],
        "rollout-phase2",
    )


def economics_options(summary: pd.DataFrame) -> str:
    s = summary.iloc[0]
    if s.economics_status != "ok":
        return (
            '<p class="note" id="economics-options">set cost and value '
            "(vars cost_per_contact, value_per_response)</p>"
        )
    money = lambda v: num(v, 0)  # noqa: E731 - a one-line formatter
    rows = [
        (
            "profit-maximising list",
            f"{num(s.best_k)} ({num(s.best_k_low)} - {num(s.best_k_high)})",
            num(s.best_k_min_score, 4),
            num(s.expected_responses, 1),
            money(s.expected_profit),
            interval(s.profit_low, s.profit_high, money),
            pct(s.roi),
        ),
        (
            "threshold list (outreach_by_threshold)",
            num(s.threshold_list_size),
            num(s.threshold_used, 4),
            num(s.threshold_expected_responses, 1),
            money(s.threshold_expected_profit),
            "",
            pct(s.threshold_roi),
        ),
        (
            "top-K list (outreach_top_k)",
            num(s.top_k_list_size),
            "",
            num(s.top_k_expected_responses, 1),
            money(s.top_k_expected_profit),
            "",
            pct(s.top_k_roi),
        ),
    ]
    intro = (
        f"<p>Cost per contact {num(s.cost_per_contact, 2)}, value per response "
        f"{num(s.value_per_response, 2)}: a lead is worth contacting when its calibrated score "
        f"exceeds {num(s.break_even_score, 4)}.</p>"
    )
    return intro + table(
        rows,
        [
            "list",
            "K",
            "threshold",
            "expected responses",
            "expected profit",
            "profit 95% interval",
            "ROI",
        ],
        "economics-options",
    )
