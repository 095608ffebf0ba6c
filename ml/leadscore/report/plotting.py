"""What every chart shares: the Chart record, colours, interval bands and the layout.

Chart functions (model_charts, monitoring_charts, economics_charts) take published tables
and return a Chart. Every rate is drawn with its 95% interval: a shaded band around a line,
or error bars on bars and points. A chart whose table holds nothing to draw yet returns a
Chart without a figure and a note saying why (e.g. no campaign has a random arm yet).
"""

from dataclasses import dataclass

import plotly.graph_objects as go

PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]
CV = "cross_validation"


@dataclass
class Chart:
    chart_id: str  # the HTML id of the chart's section
    title: str
    caption: str  # how to read it, in plain words
    figure: go.Figure | None = None
    note: str = ""  # why there is no figure, or a caveat worth a line


def rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def colors_by_set(sets) -> dict:
    """A stable colour per evaluated set: cross-validation first, then campaigns in order."""
    ordered = sorted(set(sets), key=lambda s: (s != CV, s))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(ordered)}


def band(fig, x, low, high, color, name, group, row=None, col=None, yaxis_secondary=None):
    """A shaded 95% interval between low and high (two invisible lines, filled between)."""
    where = {} if row is None else {"row": row, "col": col}
    if yaxis_secondary is not None:
        where["secondary_y"] = yaxis_secondary
    fig.add_trace(
        go.Scatter(
            x=list(x),
            y=list(high),
            mode="lines",
            line={"width": 0},
            name=f"{name} 95% upper bound",
            hoverinfo="skip",
            showlegend=False,
            legendgroup=group,
        ),
        **where,
    )
    fig.add_trace(
        go.Scatter(
            x=list(x),
            y=list(low),
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=rgba(color, 0.18),
            hoverinfo="skip",
            name=f"{name} 95% interval",
            showlegend=False,
            legendgroup=group,
        ),
        **where,
    )


def layout(fig, height=420, **kwargs):
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 30, "t": 30, "b": 50},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2},
        **kwargs,
    )
    return fig
