"""Charts of the model in use: score and feature drift against the training reference,
campaign precision over time against the rollout gates, and model vs random (A/B)."""

import pandas as pd
import plotly.graph_objects as go

from leadscore.report.plotting import PALETTE, Chart, band, layout

DECISION_COLORS = {"proceed": "#2ca02c", "recalibrate": "#ff7f0e", "stop": "#d62728"}


def _error_y(rate, low, high, color):
    return {
        "type": "data",
        "symmetric": False,
        "array": high - rate,
        "arrayminus": rate - low,
        "color": color,
    }


def score_distribution(histogram: pd.DataFrame, score_drift: pd.DataFrame) -> Chart:
    """Share of scores per 0.05 bin: today's leads against the training reference."""
    chart = Chart(
        "chart-score-distribution",
        "Score distribution: now vs training reference",
        "Share of leads per score bin of width 0.05, today's scored leads against the "
        "training reference (out-of-fold scores), each with its 95% Wilson interval.",
    )
    if histogram.empty:
        chart.note = "No scores."
        return chart
    fig = go.Figure()
    for population, color in (("reference", "#7f7f7f"), ("current", "#1f77b4")):
        rows = histogram[histogram.population == population].sort_values("bin")
        fig.add_trace(
            go.Bar(
                x=(rows.bin_low + rows.bin_high) / 2,
                y=rows.share,
                width=0.022,
                name=population,
                marker={"color": color},
                offset=-0.022 if population == "reference" else 0,
                error_y=_error_y(rows.share, rows.share_ci_low, rows.share_ci_high, color),
                customdata=rows[["leads", "population_rows"]],
                hovertemplate="%{customdata[0]} of %{customdata[1]} (%{y:.1%})<extra>"
                + population
                + "</extra>",
            )
        )
    if not score_drift.empty:
        drift = score_drift.iloc[0]
        chart.note = (
            f"Score PSI {drift.psi:.3f} (sampling noise alone would stay below "
            f"{drift.psi_noise_critical:.3f} 99% of the time): {drift.drift_status}."
        )
    fig.update_xaxes(title_text="engagement_score", range=[0, 1])
    fig.update_yaxes(title_text="share of leads", tickformat=".0%")
    chart.figure = layout(fig)
    return chart


def feature_drift(drift: pd.DataFrame, top: int = 20) -> Chart:
    """PSI per feature against its sampling-noise level (the most drifted first)."""
    chart = Chart(
        "chart-feature-drift",
        "Feature drift (PSI)",
        f"The {top} features whose PSI is largest relative to its noise level: PSI of "
        "today's leads against the training rows (bars), the PSI sampling noise alone "
        "gives on average (thin mark) and at its 99th percentile (diamond). Only a bar "
        "beyond both the diamond and 0.1 is drift worth a look.",
    )
    drift = drift.dropna(subset=["psi"])
    if drift.empty:
        chart.note = "No feature to compare."
        return chart
    ranked = drift.assign(
        ratio=drift.psi / drift.psi_noise_critical.where(drift.psi_noise_critical > 0)
    )
    shown = ranked.sort_values("ratio", ascending=False).head(top).iloc[::-1]
    colors = [
        "#d62728" if "drift" in s and "noise" not in s else "#1f77b4" for s in shown.drift_status
    ]
    fig = go.Figure(
        go.Bar(
            y=shown.feature,
            x=shown.psi,
            orientation="h",
            name="PSI",
            marker={"color": colors},
            customdata=shown[["drift_status"]],
            hovertemplate="%{y}: PSI %{x:.3f} (%{customdata[0]})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=shown.feature,
            x=shown.psi_noise_expected,
            mode="markers",
            name="noise (expected)",
            marker={"symbol": "line-ns-open", "size": 12, "color": "#555"},
        )
    )
    fig.add_trace(
        go.Scatter(
            y=shown.feature,
            x=shown.psi_noise_critical,
            mode="markers",
            name="noise (99th percentile)",
            marker={"symbol": "diamond", "color": "#ff7f0e"},
        )
    )
    fig.add_vline(x=0.1, line={"color": "grey", "dash": "dot"})
    fig.update_xaxes(title_text="PSI")
    chart.figure = layout(fig, height=max(420, 22 * len(shown) + 120))
    return chart


def feature_drift_bins(drift: pd.DataFrame, bins: pd.DataFrame) -> Chart:
    """Where the most drifted feature moved: its reference vs current share per PSI bin."""
    chart = Chart(
        "chart-feature-drift-bins",
        "Feature drift: the bins of the most drifted feature",
        "The PSI bins (deciles of the training rows; bin 0 = missing values) of the "
        "feature whose PSI is largest relative to its noise level: share of the training "
        "rows against share of today's leads in each bin.",
    )
    ranked = drift.dropna(subset=["psi"])
    if ranked.empty or bins.empty:
        chart.note = "No feature to compare."
        return chart
    ranked = ranked.assign(
        ratio=ranked.psi / ranked.psi_noise_critical.where(ranked.psi_noise_critical > 0)
    )
    top = ranked.sort_values("ratio", ascending=False).iloc[0]
    rows = bins[bins.feature == top.feature].sort_values("bin")
    last_bin = rows.bin.max()
    labels = [_bin_label(r, last_bin) for r in rows.itertuples()]
    fig = go.Figure()
    for column, name, color in (
        ("ref_share", "training rows", "#7f7f7f"),
        ("cur_share", "today's leads", "#1f77b4"),
    ):
        fig.add_trace(go.Bar(x=labels, y=rows[column], name=name, marker={"color": color}))
    fig.update_layout(
        barmode="group", title={"text": f"{top.feature}: PSI {top.psi:.3f}", "x": 0.01}
    )
    fig.update_xaxes(title_text=f"{top.feature} bin", type="category")
    fig.update_yaxes(title_text="share (smoothed)", tickformat=".0%")
    chart.figure = layout(fig)
    return chart


def _bin_label(row, last_bin) -> str:
    """Bin 1 is open below, the last bin open above, bin 0 holds missing values."""
    if row.bin == 0:
        return "missing"
    if pd.isna(row.lower_edge):
        return f"<= {row.upper_edge:g}"
    if row.bin == last_bin:
        return f"> {row.lower_edge:g}"
    return f"({row.lower_edge:g}, {row.upper_edge:g}]"


def campaigns_over_time(
    campaigns: pd.DataFrame, weekly: pd.DataFrame, summary: pd.DataFrame
) -> Chart:
    """Campaign precision over time against the rollout gates, weekly response rate behind it."""
    chart = Chart(
        "chart-campaigns",
        "Campaign precision over time and the rollout gates",
        "Each campaign's precision (selected list, known outcomes) with its 95% Wilson "
        "interval, coloured by the gate decision; the shaded line is the weekly response "
        "rate of selected contacts. Horizontal lines: the proceed and recalibrate gates. "
        "The gate needs the minimum number of known outcomes ('too few outcomes' before); "
        "'uncertain' marks a decision whose interval still reaches another band.",
    )
    known = campaigns[campaigns.known_outcomes > 0]
    if known.empty:
        chart.note = "No campaign has known outcomes yet."
        return chart
    fig = go.Figure()
    weeks = weekly[weekly.known_outcomes > 0].sort_values("week_start")
    if not weeks.empty:
        band(fig, weeks.week_start, weeks.ci_low, weeks.ci_high, "#7f7f7f", "weekly", "weekly")
        fig.add_trace(
            go.Scatter(
                x=weeks.week_start,
                y=weeks.response_rate,
                mode="lines",
                name="weekly response rate",
                line={"color": "#7f7f7f", "width": 1},
                legendgroup="weekly",
            )
        )
    for decision, rows in known.groupby("decision", sort=True):
        color = DECISION_COLORS.get(decision, "#1f77b4")
        fig.add_trace(
            go.Scatter(
                x=rows.last_contacted_at,
                y=rows.actual_precision,
                mode="markers+text",
                name=decision,
                text=rows.campaign_id,
                textposition="top center",
                marker={"color": color, "size": 10},
                error_y=_error_y(rows.actual_precision, rows.ci_low, rows.ci_high, color),
                customdata=rows[["responded", "known_outcomes", "decision"]],
                hovertemplate="%{text}: %{customdata[0]}/%{customdata[1]} = %{y:.1%} -> %{customdata[2]}"
                "<extra></extra>",
            )
        )
    gates = summary.iloc[0]
    fig.add_hline(
        y=gates.gate_proceed,
        line={"color": "#2ca02c", "dash": "dash"},
        annotation_text=f"proceed {gates.gate_proceed:.0%}",
    )
    fig.add_hline(
        y=gates.gate_recalibrate,
        line={"color": "#d62728", "dash": "dash"},
        annotation_text=f"recalibrate {gates.gate_recalibrate:.0%}",
    )
    fig.update_xaxes(title_text="last contact of the campaign")
    fig.update_yaxes(title_text="precision", tickformat=".0%", range=[0, 1])
    chart.figure = layout(fig, height=460)
    return chart


def model_vs_random(ab: pd.DataFrame) -> Chart:
    """Response rate of the model arm against the random arm, per campaign that has one."""
    chart = Chart(
        "chart-ab",
        "Model vs random (A/B)",
        "For every campaign with a random arm: the response rate of the model-selected "
        "contacts against the randomly chosen ones, each with its 95% Wilson interval; "
        "above the bars the two-sided p-value of the difference and the test's verdict.",
    )
    tested = ab[ab.has_random_arm].sort_values("campaign_id")
    if tested.empty:
        chart.note = "No campaign has a random arm yet."
        return chart
    fig = go.Figure()
    for arm, color in (("model", PALETTE[0]), ("random", "#7f7f7f")):
        rate, low, high = tested[f"{arm}_rate"], tested[f"{arm}_ci_low"], tested[f"{arm}_ci_high"]
        fig.add_trace(
            go.Bar(
                x=tested.campaign_id,
                y=rate,
                name=f"{arm} arm",
                marker={"color": color},
                error_y=_error_y(rate, low, high, color),
                customdata=tested[[f"{arm}_responded", f"{arm}_known"]],
                hovertemplate="%{x}: %{customdata[0]}/%{customdata[1]} = %{y:.1%}<extra>"
                + arm
                + "</extra>",
            )
        )
    for row in tested.itertuples():
        p_text = (
            ""
            if pd.isna(row.p_value)
            else "p < 0.001, "
            if row.p_value < 0.001
            else f"p = {row.p_value:.3f}, "
        )
        fig.add_annotation(
            x=row.campaign_id, y=1.0, text=f"{p_text}{row.test_status}", showarrow=False
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="campaign", type="category")
    fig.update_yaxes(title_text="response rate", tickformat=".0%", range=[0, 1.05])
    chart.figure = layout(fig)
    return chart
