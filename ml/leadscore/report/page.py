"""Assemble the self-contained HTML page: plotly.js inlined once, one section per theme,
every chart a <figure> with its plot, caption and note. Nothing is loaded from the network."""

import datetime as dt
import html

import plotly
from plotly.offline import get_plotlyjs

from leadscore.report.plotting import Chart

PLOT_CONFIG = {"displaylogo": False, "responsive": True}
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1200px; padding: 0 24px 48px; color: #222; }
header { border-bottom: 2px solid #1f77b4; margin-bottom: 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { font-weight: 600; } dd { margin: 0; }
nav a { margin-right: 16px; }
figure.chart { margin: 24px 0; padding: 12px; border: 1px solid #e3e3e3; border-radius: 6px; }
figure.chart h3 { margin: 0 0 4px; }
p.caption { color: #555; margin: 0 0 8px; }
p.note { color: #8a4b00; font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
"""


def chart_html(chart: Chart) -> str:
    """A chart's <figure>: the plot (when there is data), its caption and its note."""
    plot = ""
    if chart.figure is not None:
        plot = chart.figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"{chart.chart_id}-plot",
            config=PLOT_CONFIG,
        )
    note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
    return (
        f'<figure class="chart" id="{chart.chart_id}" data-has-plot="{str(chart.figure is not None).lower()}">'
        f'<h3>{html.escape(chart.title)}</h3><p class="caption">{html.escape(chart.caption)}</p>'
        f"{plot}{note}</figure>"
    )


def section(section_id: str, title: str, intro: str, parts: list) -> str:
    """A report section; parts are Charts or ready HTML strings (tables)."""
    body = "".join(chart_html(p) if isinstance(p, Chart) else p for p in parts)
    return (
        f'<section id="{section_id}"><h2>{html.escape(title)}</h2>'
        f"<p>{html.escape(intro)}</p>{body}</section>"
    )


def page(title: str, header: str, sections: list, source: str) -> str:
    """The whole document. plotly.js goes in the head once; each chart's script calls it."""
    nav = "".join(
        f'<a href="#{sid}">{html.escape(name)}</a>'
        for sid, name in (
            ("model", "Model"),
            ("rollout", "Campaigns and rollout"),
            ("drift", "Drift"),
            ("economics", "Economics"),
        )
    )
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f'<header id="report-header"><h1>{html.escape(title)}</h1>{header}</header>'
        f"<nav>{nav}</nav>{''.join(sections)}"
        f"<footer><p>Drawn {made} from {html.escape(source)} (read-only) with plotly "
        f"{plotly.__version__}; no data or script is loaded from anywhere else.</p></footer>"
        "</body></html>\n"
    )
