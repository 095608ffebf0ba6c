"""Issue 5's loop on the sample: build -> phase-1 list -> simulate-campaign -> build again.

The new campaign must appear in campaign_performance, campaign_ab_test, precision_at_k and
rollout_phase2_calibration with numbers that match an independent computation from the
outreach file the simulation wrote (plain Python + scipy, not the project's code). The second
build prices contacts (cost_per_contact / value_per_response), so phase 2 also gives its ROI
option; its published copy's HTML report must show the campaign, the A/B test and the verdict.
"""

import csv
import json
import math
import re
import shutil

import numpy as np
import pytest
from conftest import DbtProject
from leadscore_cli import leadscore_in_process
from report_browser import assert_every_chart_drawn, open_in_browser
from scipy import stats

from leadscore.publish import publish
from leadscore.report import write_report

CAMPAIGN = "phase1-validation"
PRICES = {"cost_per_contact": 50, "value_per_response": 120}
Z95 = stats.norm.ppf(0.975)


def wilson(hits, n):
    p = hits / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return centre - half, centre + half


@pytest.fixture(scope="module")
def walked(tmp_path_factory, request, sample_build):
    root = tmp_path_factory.mktemp("walkthrough")
    sample_copy = request.getfixturevalue("sample_copy_module")
    # the first build is the session's build of the unchanged sample: start from a copy of it
    project = DbtProject.copy_of(sample_build, root / "build")
    phase1 = [
        r[0] for r in project.query("select lead_id from rollout_phase1_validation order by 1")
    ]
    simulated = leadscore_in_process(
        "simulate-campaign",
        "--db",
        project.db_path,
        "--table",
        "rollout_phase1_validation",
        "--raw-dir",
        sample_copy,
        "--campaign-id",
        CAMPAIGN,
        "--random-arm",
        "50",
    )
    assert simulated.returncode == 0, simulated.stderr
    # a plain `dbt build`, unit tests included, as a user runs it (its run results published)
    project.dbt("build", vars={"raw_data_path": str(sample_copy), **PRICES}, write_json=True)
    with open(sample_copy / "outreach.csv", newline="") as f:
        contacts = [r for r in csv.DictReader(f) if r["campaign_id"] == CAMPAIGN]
    return project, phase1, contacts


@pytest.fixture(scope="module")
def sample_copy_module(tmp_path_factory):
    from leadscore.settings import DEFAULT_SAMPLE_DIR

    dest = tmp_path_factory.mktemp("walk_raw") / "raw"
    shutil.copytree(DEFAULT_SAMPLE_DIR, dest)
    return dest


def arm(contacts, group):
    rows = [r for r in contacts if r["experiment_group"] == group]
    known = [r for r in rows if r["responded"] in ("true", "false")]
    return len(rows), len(known), sum(r["responded"] == "true" for r in known)


def test_simulated_campaign_contacts_the_phase1_list(walked):
    _, phase1, contacts = walked
    assert sorted(r["lead_id"] for r in contacts if r["experiment_group"] == "model") == phase1
    assert len([r for r in contacts if r["experiment_group"] == "random"]) == 50


def test_campaign_performance_matches_independent_computation(walked):
    project, _, contacts = walked
    n, known, hits = arm(contacts, "model")
    _rn, rknown, rhits = arm(contacts, "random")
    row = project.df(f"select * from campaign_performance where campaign_id = '{CAMPAIGN}'").iloc[0]
    assert (row.list_contacted, row.known_outcomes, row.responded, row.pending) == (
        n,
        known,
        hits,
        n - known,
    )
    assert row.actual_precision == pytest.approx(hits / known, abs=1e-12)
    lo, hi = wilson(hits, known)
    assert (row.ci_low, row.ci_high) == (pytest.approx(lo, abs=1e-9), pytest.approx(hi, abs=1e-9))
    assert row.baseline_source == "random_arm"
    assert row.random_rate == pytest.approx(rhits / rknown)
    assert row.lift_vs_baseline == pytest.approx((hits / known) / (rhits / rknown))
    # every list lead had a score when it was contacted, so expected precision is known
    assert row.scored_outcomes == known and 0 < row.expected_precision < 1
    gate = "proceed" if hits / known >= 0.6 else "recalibrate" if hits / known >= 0.5 else "stop"
    assert row.decision == (gate if known >= 30 else "too few outcomes")


def test_campaign_ab_test_matches_scipy(walked):
    project, _, contacts = walked
    _, n1, x1 = arm(contacts, "model")
    _, n2, x2 = arm(contacts, "random")
    p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 2 * stats.norm.sf(abs(z))
    row = project.df(f"select * from campaign_ab_test where campaign_id = '{CAMPAIGN}'").iloc[0]
    assert (row.model_known, row.model_responded, row.random_known, row.random_responded) == (
        n1,
        x1,
        n2,
        x2,
    )
    assert row.z == pytest.approx(z, abs=1e-9)
    assert row.p_value == pytest.approx(p_value, abs=1e-6)
    assert bool(row.significant) == (p_value < 0.05)
    for (lo, hi), (x, n) in (
        ((row.model_ci_low, row.model_ci_high), (x1, n1)),
        ((row.random_ci_low, row.random_ci_high), (x2, n2)),
    ):
        assert (lo, hi) == (
            pytest.approx(wilson(x, n)[0], abs=1e-9),
            pytest.approx(wilson(x, n)[1], abs=1e-9),
        )


def test_phase2_reads_the_phase1_outcomes(walked):
    project, _, contacts = walked
    _, known, hits = arm(contacts, "model")
    row = project.df("select * from rollout_phase2_calibration").iloc[0]
    assert (row.campaign_id, row.known, row.responded) == (CAMPAIGN, known, hits)
    assert row.observed_precision == pytest.approx(hits / known)
    assert row.gate in ("proceed", "recalibrate", "stop")
    precision = hits / known
    assert row.gate == (
        "proceed" if precision >= 0.6 else "recalibrate" if precision >= 0.5 else "stop"
    )


def test_campaign_is_an_evaluated_set(walked):
    project, _, contacts = walked
    ks = project.query(
        f"select k, n, hits from precision_at_k where campaign_id = '{CAMPAIGN}' order by k"
    )
    assert ks, "the campaign has scores at contact time, so it is evaluated"
    # K = number of known outcomes at most; hits never exceed responders
    total_hits = sum(r["responded"] == "true" for r in contacts)
    assert all(n <= len(contacts) and hits <= total_hits for _, n, hits in ks)


def test_phase2_roi_option_matches_independent_computation(walked):
    project, _, _ = walked
    row = project.df("select * from rollout_phase2_calibration").iloc[0]
    if row.calibration_factor is None or np.isnan(row.calibration_factor):
        assert row.roi_recommended_k is None or np.isnan(row.roi_recommended_k)
        return
    scores = [
        r[0]
        for r in project.query(
            "select engagement_score from outreach_eligible_leads order by score_rank, lead_id"
        )
    ]
    p = np.minimum(1.0, row.calibration_factor * np.array(scores))
    profit = PRICES["value_per_response"] * np.cumsum(p) - PRICES["cost_per_contact"] * np.arange(
        1, len(p) + 1
    )
    best = int(np.argmax(profit)) + 1 if profit.max() > 0 else 0
    assert row.economics_status == "ok"
    assert row.roi_recommended_k == best
    assert row.roi_k_low <= best <= row.roi_k_high
    if best:
        assert row.roi_expected_profit == pytest.approx(profit[best - 1])
        assert row.roi_recommended_threshold == pytest.approx(scores[best - 1])


@pytest.fixture(scope="module")
def walk_report(walked, tmp_path_factory):
    """The walked build published to a file of its own, and its HTML report."""
    project, _, _ = walked
    out = tmp_path_factory.mktemp("walk_published") / "lead_scoring.duckdb"
    publish(project.db_path, project.target_path, out)
    return project, write_report(out)


def test_report_shows_the_campaign_ab_test_and_gate(walk_report):
    project, report = walk_report
    text = report.read_text(encoding="utf-8")
    gate, known = project.query("select gate, known from rollout_phase2_calibration")[0]
    assert f"<td>{CAMPAIGN}</td>" in text  # campaigns table
    assert (
        re.search(f"<dd>{gate} \\((clear|uncertain)\\) \\(proceed", text)
        and f"{known} known of" in text
    )  # phase 2 verdict
    assert "set cost and value" not in text and "ROI option</dt><dd>K = " in text


@pytest.mark.browser
def test_report_after_the_walkthrough_in_a_browser(walk_report):
    project, report = walk_report
    gate = project.query("select gate from rollout_phase2_calibration")[0][0]
    decision = project.query(
        f"select decision from campaign_performance where campaign_id = '{CAMPAIGN}'"
    )[0][0]
    with open_in_browser(report) as opened:
        stats = assert_every_chart_drawn(opened, report)
        page = opened.page
        assert CAMPAIGN in stats["chart-ab"]["x"]  # model vs random bars for the campaign
        assert CAMPAIGN in stats["chart-precision-at-k"]["names"]
        assert decision in stats["chart-campaigns"]["names"]  # the campaign's point, by decision
        row = page.locator("#campaigns tbody tr", has_text=CAMPAIGN)
        assert row.count() == 1 and decision in row.inner_text()
        verdict = page.locator("#rollout-phase2").inner_text()
        assert f"gate decision\n{gate}" in verdict.replace("\t", "\n")
        assert "best K = " in page.locator("#chart-economics").inner_text()
        opened.screenshot("report_screenshot.png")


def test_green_plain_dbt_build_commits_history_and_export(walked, sample_build):
    """The second build is a plain `dbt build` (unit tests included), green: its on-run-end
    hook committed its scores beside the first build's (the session's `leadscore build`,
    which commits after publishing: tests/test_publish.py) and exported its list."""
    project, _, _ = walked
    partitions = "select model_version, feature_as_of, count(*) from {} group by all order by all"
    first = sample_build.query(partitions.format("lead_score_history_committed"))
    second = project.query(partitions.format("lead_scores"))
    assert len(first) == len(second) == 1 and first != second  # a later as-of: its own partition
    assert project.query(partitions.format("lead_score_history_committed")) == first + second
    exports = [p.name[:14] for p in (project.workdir / "exports").iterdir()]
    assert exports == ["outreach_list_"]
    ran = json.loads((project.target_path / "run_results.json").read_text())["results"]
    assert any(r["unique_id"].startswith("unit_test.") for r in ran)
