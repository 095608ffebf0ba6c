"""Charts of how well the model ranks and how honest its probabilities are: gains and lift,
precision@K, calibration and the threshold curve (cross-validation and each campaign)."""

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from leadscore.report.plotting import CV, Chart, band, colors_by_set, layout


def gains_and_lift(lift_by_decile: pd.DataFrame) -> Chart:
    """Cumulative gains and cumulative lift by decile, per evaluated set."""
    chart = Chart(
        "chart-gains",
        "Cumulative gains and lift by decile",
        "Left: share of all responders reached when contacting the top deciles (the "
        "diagonal is random order). Right: cumulative lift over the set's base rate. "
        "Bands: 95% Wilson interval of the cumulative response rate.",
    )
    if lift_by_decile.empty:
        chart.note = "No evaluated set yet."
        return chart
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Cumulative gains", "Cumulative lift"))
    colors = colors_by_set(lift_by_decile.evaluated_set)
    for name, rows in lift_by_decile.groupby("evaluated_set", sort=False):
        rows = rows.sort_values("decile")
        share = rows.cum_leads / rows.cum_leads.max()
        _add_gains(fig, rows, share, colors[name], name)
        _add_lift(fig, rows, share, colors[name], name)
    fig.add_trace(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name="random", line={"color": "grey", "dash": "dot"}
        ),
        row=1,
        col=1,
    )
    fig.add_hline(y=1, line={"color": "grey", "dash": "dot"}, row=1, col=2)
    fig.update_xaxes(title_text="share of the set contacted (top deciles)", tickformat=".0%")
    fig.update_yaxes(tickformat=".0%", row=1, col=1)
    chart.figure = layout(fig)
    return chart


def _add_gains(fig, rows: pd.DataFrame, share: pd.Series, color: str, name: str) -> None:
    """One set's cumulative gains (left panel), with its band when the set has responders."""
    positives = rows.cum_responders.max()
    if positives > 0:
        band(
            fig,
            share,
            rows.cum_ci_low * rows.cum_leads / positives,
            (rows.cum_ci_high * rows.cum_leads / positives).clip(upper=1),
            color,
            name,
            name,
            1,
            1,
        )
    fig.add_trace(_set_line(share, rows.cum_responders_pct, color, name), row=1, col=1)


def _add_lift(fig, rows: pd.DataFrame, share: pd.Series, color: str, name: str) -> None:
    """One set's cumulative lift (right panel), with its band when the base rate is known."""
    base = rows.base_rate.iloc[0]
    if base > 0:
        band(fig, share, rows.cum_ci_low / base, rows.cum_ci_high / base, color, name, name, 1, 2)
    fig.add_trace(_set_line(share, rows.cum_lift, color, name, showlegend=False), row=1, col=2)


def _set_line(x, y, color: str, name: str, **options) -> go.Scatter:
    """One evaluated set's line, grouped in the legend with its band."""
    return go.Scatter(
        x=x,
        y=y,
        mode="lines+markers",
        name=name,
        line={"color": color},
        legendgroup=name,
        **options,
    )


def precision_at_k(table: pd.DataFrame) -> Chart:
    """Precision@K against K: cross-validation and each campaign (score at contact)."""
    chart = Chart(
        "chart-precision-at-k",
        "Precision@K",
        "Response rate among the top K, for the cross-validated training predictions and "
        "each campaign ranked by the score its leads had when contacted. Band: 95% Wilson "
        "interval; dotted: the set's base rate.",
    )
    if table.empty:
        chart.note = "No evaluated set yet."
        return chart
    fig, colors = go.Figure(), colors_by_set(table.evaluated_set)
    for name, rows in table.groupby("evaluated_set", sort=False):
        rows = rows.sort_values("k")
        band(fig, rows.k, rows.ci_low, rows.ci_high, colors[name], name, name)
        fig.add_trace(
            go.Scatter(
                x=rows.k,
                y=rows.precision,
                mode="lines+markers",
                name=name,
                legendgroup=name,
                line={"color": colors[name]},
                customdata=rows[["hits", "n"]],
                hovertemplate="K=%{x}: %{customdata[0]}/%{customdata[1]} = %{y:.1%}<extra>"
                + name
                + "</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[rows.k.min(), rows.k.max()],
                y=[rows.base_rate.iloc[0]] * 2,
                mode="lines",
                line={"color": colors[name], "dash": "dot", "width": 1},
                name=f"{name} base rate",
                legendgroup=name,
                showlegend=False,
            )
        )
    fig.update_xaxes(title_text="K (top-ranked contacts)", type="log")
    fig.update_yaxes(title_text="precision", tickformat=".0%", range=[0, 1])
    chart.figure = layout(fig)
    return chart


def calibration(bins: pd.DataFrame) -> Chart:
    """Predicted vs observed response rate per score bin."""
    chart = Chart(
        "chart-calibration",
        "Calibration: predicted vs observed",
        "Each point is a tenth of the set (equal-count bins by score): mean predicted "
        "probability against the observed response rate with its 95% Wilson interval. "
        "Shaded: where a perfectly calibrated model's rate would fall 95% of the time.",
    )
    if bins.empty:
        chart.note = "No evaluated set yet."
        return chart
    fig, colors = go.Figure(), colors_by_set(bins.evaluated_set)
    for name, rows in bins.groupby("evaluated_set", sort=False):
        rows = rows.sort_values("mean_predicted")
        band(
            fig,
            rows.mean_predicted,
            rows.expected_rate_low,
            rows.expected_rate_high,
            colors[name],
            name,
            name,
        )
        fig.add_trace(
            go.Scatter(
                x=rows.mean_predicted,
                y=rows.observed_rate,
                mode="markers",
                name=name,
                legendgroup=name,
                marker={"color": colors[name], "size": 8},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": rows.ci_high - rows.observed_rate,
                    "arrayminus": rows.observed_rate - rows.ci_low,
                    "color": colors[name],
                },
                customdata=rows[["hits", "n"]],
                hovertemplate="predicted %{x:.1%}, observed %{customdata[0]}/%{customdata[1]} = %{y:.1%}"
                "<extra>" + name + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name="perfect calibration",
            line={"color": "grey", "dash": "dot"},
        )
    )
    fig.update_xaxes(title_text="mean predicted probability", tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text="observed response rate", tickformat=".0%", range=[0, 1])
    chart.figure = layout(fig)
    return chart


def threshold_curve(curve: pd.DataFrame, thresholds: pd.DataFrame) -> Chart:
    """Cross-validated precision and list volume against the score threshold."""
    chart = Chart(
        "chart-threshold",
        "Threshold curve",
        "If every training contact with a score at or above the threshold had been "
        "selected (cross-validation): precision with its 95% Wilson band, and how many "
        "would have been selected (right axis). Vertical lines: the thresholds in use.",
    )
    cv = curve[curve.evaluated_set == CV].sort_values("threshold")
    if cv.empty:
        chart.note = "No cross-validation rows."
        return chart
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    color = "#1f77b4"
    band(
        fig,
        cv.threshold,
        cv.ci_low,
        cv.ci_high,
        color,
        "precision",
        "precision",
        yaxis_secondary=False,
    )
    fig.add_trace(
        go.Scatter(
            x=cv.threshold,
            y=cv.precision,
            mode="lines",
            name="precision",
            line={"color": color},
            legendgroup="precision",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=cv.threshold,
            y=cv.leads_selected,
            mode="lines",
            name="contacts selected",
            line={"color": "#7f7f7f", "dash": "dash"},
        ),
        secondary_y=True,
    )
    for i, rule in enumerate(thresholds.itertuples()):
        fig.add_vline(
            x=rule.score,
            line={"color": "#d62728" if i == 0 else "#ff7f0e", "dash": "dot"},
            annotation_text=f"{rule.threshold_rule} {rule.score:.3f}",
            annotation_position="top right" if i % 2 == 0 else "bottom right",
        )
    fig.update_xaxes(title_text="threshold on engagement_score", range=[0, 1])
    fig.update_yaxes(title_text="precision", tickformat=".0%", range=[0, 1], secondary_y=False)
    fig.update_yaxes(title_text="contacts selected", secondary_y=True)
    chart.figure = layout(fig)
    return chart
