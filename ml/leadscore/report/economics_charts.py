"""The economics chart: expected profit (or, while cost and value are unset, expected
responses) of contacting the top K eligible leads, with its 95% band and the best K."""

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from leadscore.report.plotting import Chart, band, layout

SET_COST_AND_VALUE = (
    "Set cost and value to see profit and ROI: leadscore build --vars "
    '\'{"cost_per_contact": 12, "value_per_response": 400}\' (any currency). '
    "Until then only the expected responses are shown."
)


def economics(by_k: pd.DataFrame, summary: pd.DataFrame) -> Chart:
    chart = Chart(
        "chart-economics",
        "Economics of the list size K",
        "Contacting the top K eligible leads: expected profit = value x expected responses "
        "- cost x K, with the band from the responses' 95% interval; ROI = profit / cost "
        "(right axis). Marked: the profit-maximising K, and shaded the list sizes whose "
        "profit is within the 95% noise of the best one.",
    )
    if by_k.empty:
        chart.note = "No eligible leads."
        return chart
    rows = by_k.sort_values("k")
    if summary.iloc[0].economics_status != "ok":
        chart.note = SET_COST_AND_VALUE
        chart.figure = _expected_responses(rows)
        return chart
    chart.figure = _profit_and_roi(rows, summary.iloc[0])
    return chart


def _profit_and_roi(rows: pd.DataFrame, best: pd.Series) -> go.Figure:
    """Expected profit (band: 95%) and ROI against K, the best K marked with its range."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    band(
        fig,
        rows.k,
        rows.profit_low,
        rows.profit_high,
        "#2ca02c",
        "profit",
        "profit",
        yaxis_secondary=False,
    )
    fig.add_trace(
        go.Scatter(
            x=rows.k,
            y=rows.expected_profit,
            mode="lines",
            name="expected profit",
            line={"color": "#2ca02c"},
            legendgroup="profit",
        ),
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=rows.k,
            y=rows.roi,
            mode="lines",
            name="ROI (profit / cost)",
            line={"color": "#9467bd", "dash": "dash"},
        ),
        secondary_y=True,
    )
    if best.best_k_high > best.best_k_low:
        fig.add_vrect(
            x0=best.best_k_low, x1=best.best_k_high, fillcolor="rgba(44,160,44,0.08)", line_width=0
        )
    fig.add_vline(
        x=best.best_k,
        line={"color": "#d62728", "dash": "dot"},
        annotation_text=f"best K = {best.best_k} ({best.best_k_low}-{best.best_k_high})",
    )
    fig.add_hline(y=0, line={"color": "grey", "width": 1}, secondary_y=False)
    fig.update_xaxes(title_text="K (top eligible leads contacted)")
    fig.update_yaxes(title_text="expected profit", secondary_y=False)
    fig.update_yaxes(title_text="ROI", tickformat=".0%", secondary_y=True)
    return layout(fig)


def _expected_responses(rows: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    band(fig, rows.k, rows.responses_low, rows.responses_high, "#1f77b4", "responses", "responses")
    fig.add_trace(
        go.Scatter(
            x=rows.k,
            y=rows.expected_responses,
            mode="lines",
            name="expected responses",
            line={"color": "#1f77b4"},
            legendgroup="responses",
        )
    )
    fig.update_xaxes(title_text="K (top eligible leads contacted)")
    fig.update_yaxes(title_text="expected responses")
    return layout(fig)
