"""`leadscore report`: one self-contained HTML file from the published DuckDB file.

It reads only the published file (what BI tools see), read-only, and writes charts of the
model (gains, precision@K, calibration, threshold curve), the campaigns and rollout (precision
over time against the gates, model vs random, phase 2's verdict), drift (score distribution,
feature PSI) and the economics. plotly.js is inlined, so the file opens without a network.
`leadscore build` writes it next to the published file after every successful publish.
"""

import os
import sys
from pathlib import Path

from leadscore import paths
from leadscore.errors import UserError
from leadscore.report import economics_charts, model_charts, monitoring_charts, tables
from leadscore.report.data import load_tables, precision_summary
from leadscore.report.page import page, section

__all__ = [
    "add_arguments",
    "check_report_path",
    "default_report_path",
    "precision_summary",
    "run",
    "write_report",
]

HTML_SUFFIXES = (".html", ".htm")
# How an HTML file starts (after a byte-order mark and blanks), lower-cased; ours: <!DOCTYPE html>
HTML_STARTS = (b"<!doctype html", b"<html")


def default_report_path(published: Path) -> Path:
    """published/lead_scoring.duckdb -> published/lead_scoring_report.html"""
    published = Path(published)
    return published.with_name(published.stem + "_report.html")


def add_arguments(parser):
    from leadscore import project

    project.add_argument(parser)
    parser.add_argument(
        "--published",
        type=Path,
        default=None,
        help="published DuckDB file to read (read-only; default: "
        "<project>/published/lead_scoring.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="HTML file to write, ending in .html; an existing file there must be HTML "
        "(default: <published name>_report.html beside it)",
    )


def run(args) -> int:
    from leadscore import project

    out = write_report(args.published or project.published_path(args.project_dir), args.out)
    print(f"leadscore report: {out}")
    return 0


def check_report_path(out: Path, what: str) -> None:
    """The report goes to an .html path that is free or holds an HTML file: writing replaces
    the file whole, so anything else there (e.g. the published DuckDB file) would be lost.
    what: how the message names the path (the flag, or "the report file")."""
    paths.check_file_path(out, what)
    if out.suffix.lower() not in HTML_SUFFIXES:
        raise UserError(f"{what} {out}: the report is an HTML file, give a path ending in .html")
    if out.exists() and not is_html_file(out, what):
        raise UserError(f"{what} {out} exists and is not an HTML file: refusing to replace it")


def is_html_file(path: Path, what: str) -> bool:
    head = paths.starts_with(path, what, 512).removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith(HTML_STARTS)


def write_report(published, out=None) -> Path:
    """Draw the report from the published file and write it atomically; returns its path."""
    published = Path(published)
    what = "--out" if out is not None else "the report file"
    out = Path(out) if out is not None else default_report_path(published)
    check_report_path(out, what)
    document = render(load_tables(published), str(published))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(document, encoding="utf-8")
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def render(t: dict, source: str) -> str:
    """The HTML document from the published tables (name -> DataFrame)."""
    model = t["report_model_summary"]
    if model.empty:
        raise UserError(f"{source}: report_model_summary is empty; build again")
    sections = [
        section(
            "model",
            "How well the model ranks",
            "Cross-validated predictions of the training contacts and every campaign whose "
            "leads had a model score when contacted.",
            [
                model_charts.precision_at_k(t["precision_at_k"]),
                tables.precision_at_k(t["precision_at_k"]),
                model_charts.gains_and_lift(t["lift_by_decile"]),
                model_charts.calibration(t["report_calibration_bins"]),
                model_charts.threshold_curve(t["threshold_curve"], t["report_thresholds"]),
            ],
        ),
        section(
            "rollout",
            "Campaigns and rollout",
            "Every campaign against the rollout gates, the model against random contacts, and "
            "phase 2's verdict on the phase-1 campaign.",
            [
                monitoring_charts.campaigns_over_time(
                    t["campaign_performance"], t["weekly_precision"], model
                ),
                tables.campaigns(t["campaign_performance"], t["campaign_ab_test"]),
                monitoring_charts.model_vs_random(t["campaign_ab_test"]),
                "<h3>Phase 2: the verdict on phase 1</h3>",
                tables.phase2(t["rollout_phase2_calibration"]),
            ],
        ),
        section(
            "drift",
            "Drift against the training data",
            "Today's scores and features against what the model was trained on.",
            [
                monitoring_charts.score_distribution(t["report_score_histogram"], t["score_drift"]),
                monitoring_charts.feature_drift(t["feature_drift"]),
                monitoring_charts.feature_drift_bins(t["feature_drift"], t["feature_drift_bins"]),
            ],
        ),
        section(
            "economics",
            "Economics",
            "What contacting more or fewer leads is expected to earn, at the cost and value set "
            "in the vars cost_per_contact and value_per_response.",
            [
                economics_charts.economics(t["economics_by_k"], t["economics_summary"]),
                tables.economics_options(t["economics_summary"]),
            ],
        ),
    ]
    header = (
        tables.header_facts(model, t["publish_info"])
        + "<h3>Data quality per raw file</h3>"
        + tables.data_quality(t["data_quality_summary"])
    )
    title = f"Lead scoring report - {model.iloc[0].model_version}"
    return page(title, header, sections, source)


if __name__ == "__main__":  # pragma: no cover
    from leadscore.cli import main

    sys.exit(main(["report", *sys.argv[1:]]))
