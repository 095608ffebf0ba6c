"""The report's marts against independent computations, the economics, and the HTML report
(`leadscore report`) written from the published file only - statically and in a browser."""

import hashlib
import json
import math
import shutil
import subprocess

import duckdb
import numpy as np
import pytest
from conftest import LEADSCORE, DbtProject
from report_browser import assert_every_chart_drawn, open_in_browser

from leadscore.report import precision_summary, write_report
from leadscore.settings import PROJECT_ROOT

Z95 = 1.959963984540054
CARD = json.loads((PROJECT_ROOT / "ml/artifacts/linkedin_sample/model_card.json").read_text())
CHART_IDS = [
    "chart-precision-at-k",
    "chart-gains",
    "chart-calibration",
    "chart-threshold",
    "chart-campaigns",
    "chart-ab",
    "chart-score-distribution",
    "chart-feature-drift",
    "chart-feature-drift-bins",
    "chart-economics",
]
COST, VALUE = 50.0, 120.0


def wilson(hits, n):
    p = hits / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def grid_bucket(value, steps):
    """Largest whole i with i / steps <= value (independent of the SQL macro)."""
    i = int(value * steps)
    while (i + 1) / steps <= value:
        i += 1
    while i / steps > value:
        i -= 1
    return i


# ----------------------------------------------------------------------------- chart marts


def test_calibration_bins_are_the_cards_calibration_bands(sample_build):
    bins = sample_build.df(
        "select * from report_calibration_bins where evaluated_set = 'cross_validation' "
        "order by bin"
    )
    bands = CARD["validation"]["calibration_bands"]
    assert len(bins) == len(bands) == 10
    for row, band in zip(bins.itertuples(), sorted(bands, key=lambda b: b["band"]), strict=True):
        assert (row.bin, row.n, row.hits) == (band["band"], band["n"], band["hits"])
        assert row.mean_predicted == pytest.approx(band["mean_predicted"], abs=1e-12)
        assert (row.ci_low, row.ci_high) == (
            pytest.approx(band["ci_low"], abs=1e-9),
            pytest.approx(band["ci_high"], abs=1e-9),
        )
        assert row.expected_rate_low <= row.mean_predicted <= row.expected_rate_high


def test_score_histogram_counts_both_populations(sample_build):
    hist = sample_build.df("select * from report_score_histogram order by population, bin")
    for population, sql in (
        ("reference", "select score from model_oof_predictions"),
        ("current", "select engagement_score from lead_scores"),
    ):
        scores = [r[0] for r in sample_build.query(sql)]
        expected = np.bincount([min(19, grid_bucket(s, 20)) for s in scores], minlength=20)
        rows = hist[hist.population == population]
        assert list(rows.bin) == list(range(1, 21))
        assert list(rows.leads) == list(expected)
        for row in rows.itertuples():
            lo, hi = wilson(row.leads, len(scores))
            assert (row.share_ci_low, row.share_ci_high) == (
                pytest.approx(lo, abs=1e-9),
                pytest.approx(hi, abs=1e-9),
            )


def test_feature_drift_is_the_sum_of_its_bins(sample_build):
    rows = sample_build.query("""
        select d.feature, d.psi, sum(b.psi_term), sum(b.ref_count), max(b.n_ref), sum(b.cur_count), max(b.n_cur),
               count(*), max(d.bins)
        from feature_drift d join feature_drift_bins b using (feature) group by d.feature, d.psi""")
    assert len(rows) == len(sample_build.query("select feature from feature_drift"))
    for feature, psi, summed, ref_count, n_ref, cur_count, n_cur, bins, declared in rows:
        assert summed == pytest.approx(psi, abs=1e-12), feature
        assert (ref_count, cur_count, bins) == (n_ref, n_cur, declared), feature


def test_report_thresholds_mark_the_cards_cut_offs(sample_build):
    marks = dict(sample_build.query("select threshold_rule, score from report_thresholds"))
    card = {t["rule"]: t["score"] for t in CARD["thresholds"] if t["score"] is not None}
    assert {k: marks[k] for k in card} == pytest.approx(card)
    assert "break_even" not in marks  # cost and value are unset in the session build


# ----------------------------------------------------------------------------- economics


def calibration_variance(p):
    """Per K (p sorted descending): the card's calibration uncertainty in sum(p) of the top K,
    factor * g' Cov(a, b) g with g = [sum p(1-p) m, sum p(1-p)], m the margin behind p."""
    c = CARD["calibration"]
    w = p * (1 - p)
    margin = (np.log(p / (1 - p)) - c["b"]) / c["a"]
    g_a, g_b = np.cumsum(w * margin), np.cumsum(w)
    return c["variance_factor"] * (
        c["var_a"] * g_a**2 + 2 * c["cov_ab"] * g_a * g_b + c["var_b"] * g_b**2
    )


def expected_economics(scores, cost, value):
    """Independent: profit of the top K for every K, the best K and its noise range."""
    p = np.sort(np.asarray(scores, dtype=float))[::-1]
    k = np.arange(1, len(p) + 1)
    expected = np.cumsum(p)
    variance = np.cumsum(p * (1 - p)) + calibration_variance(p)
    profit = value * expected - cost * k
    best = int(np.argmax(profit))
    if profit[best] <= 0:
        return {
            "best_k": 0,
            "best_k_low": 0,
            "best_k_high": 0,
            "expected": expected,
            "variance": variance,
        }
    noise = Z95 * value * math.sqrt(variance[best])
    within = k[profit >= profit[best] - noise]
    low = 0 if profit[best] - noise <= 0 else int(within.min())
    return {
        "best_k": best + 1,
        "best_k_low": low,
        "best_k_high": int(within.max()),
        "expected": expected,
        "variance": variance,
        "profit": profit,
        "noise": noise,
    }


@pytest.fixture(scope="module")
def priced(sample_build, tmp_path_factory):
    """The economics marts re-run on a copy of the session build with cost and value set."""
    project = DbtProject.copy_of(sample_build, tmp_path_factory.mktemp("priced"))
    project.dbt(
        "run",
        "--select",
        "economics_by_k",
        "economics_by_threshold",
        "economics_summary",
        vars={"cost_per_contact": COST, "value_per_response": VALUE},
    )
    return project


def test_economics_summary_matches_independent_computation(priced):
    scores = [r[0] for r in priced.query("select engagement_score from outreach_eligible_leads")]
    want = expected_economics(scores, COST, VALUE)
    s = priced.df("select * from economics_summary").iloc[0]
    assert s.economics_status == "ok" and s.break_even_score == pytest.approx(COST / VALUE)
    assert (s.best_k, s.best_k_low, s.best_k_high) == (
        want["best_k"],
        want["best_k_low"],
        want["best_k_high"],
    )
    # the profit-maximising list is exactly the leads whose score beats cost / value
    assert s.best_k == sum(p > COST / VALUE for p in scores)
    assert s.expected_profit == pytest.approx(want["profit"][s.best_k - 1])
    assert s.profit_noise == pytest.approx(want["noise"])
    assert s.roi == pytest.approx(s.expected_profit / (COST * s.best_k))
    n_threshold = priced.query("select count(*) from outreach_by_threshold")[0][0]
    assert s.threshold_list_size == n_threshold
    assert s.threshold_expected_profit == pytest.approx(want["profit"][n_threshold - 1])


def test_economics_by_k_and_by_threshold(priced):
    scores = [r[0] for r in priced.query("select engagement_score from outreach_eligible_leads")]
    want = expected_economics(scores, COST, VALUE)
    rows = priced.df("select * from economics_by_k order by k")
    assert {
        1,
        200,
        len(scores),
        want["best_k"],
        want["best_k_low"] or 1,
        want["best_k_high"],
    } <= set(rows.k)
    for r in rows.itertuples():
        mean, sd = want["expected"][r.k - 1], math.sqrt(want["variance"][r.k - 1])
        assert r.expected_responses == pytest.approx(mean)
        assert (r.responses_low, r.responses_high) == (
            pytest.approx(max(0, mean - Z95 * sd)),
            pytest.approx(min(r.k, mean + Z95 * sd)),
        )
        assert (r.cost, r.expected_profit) == (
            pytest.approx(COST * r.k),
            pytest.approx(VALUE * mean - COST * r.k),
        )
        assert r.profit_noise == pytest.approx(Z95 * VALUE * sd)
        assert r.is_best_k == (r.k == want["best_k"])
    # the sizes of today's two lists are rows too: economics_summary reads them here
    list_sizes = priced.query(
        "select (select count(*) from outreach_by_threshold), (select count(*) from outreach_top_k)"
    )[0]
    assert set(list_sizes) <= set(rows.k)
    by_threshold = priced.df("select * from economics_by_threshold order by threshold")
    assert len(by_threshold) == 101
    for r in by_threshold.itertuples():
        chosen = np.array(sorted((p for p in scores if p >= r.threshold), reverse=True))
        assert r.leads_selected == len(chosen)
        assert r.expected_responses == pytest.approx(chosen.sum(), abs=1e-9)
        if len(chosen):
            sd = math.sqrt(np.sum(chosen * (1 - chosen)) + calibration_variance(chosen)[-1])
            assert r.responses_low == pytest.approx(max(0, chosen.sum() - Z95 * sd))


def test_economics_when_no_list_pays(sample_build, tmp_path):
    # a contact costs more than a response is worth: the best list is nobody
    project = DbtProject.copy_of(sample_build, tmp_path)
    project.dbt(
        "run",
        "--select",
        "economics_by_k",
        "economics_summary",
        vars={"cost_per_contact": 100, "value_per_response": 90},
    )
    s = project.df("select * from economics_summary").iloc[0]
    assert (s.best_k, s.best_k_low, s.best_k_high, s.profit_noise) == (0, 0, 0, 0)
    assert math.isnan(s.expected_profit) and s.threshold_expected_profit < 0
    marked = "select count(*) from economics_by_k where is_best_k or within_best_range"
    assert project.query(marked) == [(0,)]


def test_economics_unset_say_set_cost_and_value(sample_build):
    ((status, cost, best_k),) = sample_build.query(
        "select economics_status, cost, best_k from economics_summary"
    )
    assert (status, cost, best_k) == ("set cost and value", None, None)
    nulls = sample_build.query(
        "select count(*), count(expected_profit), count(expected_responses) from economics_by_k"
    )
    assert nulls[0][1] == 0 and nulls[0][0] == nulls[0][2] > 0
    assert sample_build.query(
        "select distinct economics_status from rollout_phase2_calibration"
    ) == [("set cost and value",)]


@pytest.mark.parametrize("bad", ["-5", "cheap", "1; drop table x"])
def test_invalid_economics_var_stops_naming_it(priced, bad):
    result = priced.dbt(
        "run",
        "--select",
        "economics_summary",
        vars={"cost_per_contact": bad, "value_per_response": VALUE},
        check=False,
    )
    assert result.returncode != 0
    assert "Invalid dbt var cost_per_contact" in result.stdout


# ----------------------------------------------------------------------------- the HTML report


@pytest.fixture(scope="module")
def sample_report(sample_published, tmp_path_factory):
    return write_report(sample_published, tmp_path_factory.mktemp("report") / "report.html")


def test_report_is_written_from_the_published_file_alone(sample_published, tmp_path):
    lone = tmp_path / "elsewhere" / "bi.duckdb"  # nothing but the published file around it
    lone.parent.mkdir()
    shutil.copyfile(sample_published, lone)
    before = hashlib.sha256(lone.read_bytes()).hexdigest()
    out = tmp_path / "out" / "r.html"
    proc = subprocess.run(
        [LEADSCORE, "report", "--published", str(lone), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"leadscore report: {out}"
    assert hashlib.sha256(lone.read_bytes()).hexdigest() == before  # opened read-only
    drawn = out.stat().st_ino
    again = subprocess.run(proc.args, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr  # an HTML file at --out is replaced
    assert out.stat().st_ino != drawn
    assert sorted(p.name for p in lone.parent.iterdir()) == ["bi.duckdb"]  # no .wal, nothing else


def test_report_is_self_contained_and_complete(sample_report, sample_published):
    text = sample_report.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "<iframe" not in text
    assert "@import" not in text and "url(http" not in text
    for chart_id in CHART_IDS:
        assert f'id="{chart_id}"' in text, chart_id
    with duckdb.connect(str(sample_published), read_only=True) as con:
        version, rows = con.execute(
            "select model_version, training_rows from report_model_summary"
        ).fetchone()
        as_of = con.execute("select as_of_var, feature_as_of from publish_info").fetchall()
    assert version in text and f"on {rows:,} contacts" in text
    assert [(a, str(f)) for a, f in as_of] == [(None, "2026-10-31 00:00:00")]
    assert "a backfill" not in text
    assert "Set cost and value" in text  # economics unset in the session build


@pytest.mark.fast
def test_report_says_when_it_shows_a_backfill():
    import pandas as pd

    from leadscore.report.tables import backfill_note

    assert (
        backfill_note(pd.Series({"as_of_var": "2026-08-16"}))
        == ": a backfill, var as_of 2026-08-16"
    )
    assert backfill_note(pd.Series({"as_of_var": None})) == ""
    assert backfill_note(pd.Series({})) == ""  # a file published before the column existed


@pytest.mark.fast
def test_report_refuses_a_missing_or_foreign_file(tmp_path):
    def report(published):
        return subprocess.run(
            [LEADSCORE, "report", "--published", str(published), "--out", str(tmp_path / "r.html")],
            capture_output=True,
            text=True,
            check=False,
        )

    missing = report(tmp_path / "none.duckdb")
    assert missing.returncode == 2 and "published file not found" in missing.stderr
    foreign = tmp_path / "other.duckdb"  # e.g. the build database
    duckdb.connect(str(foreign)).close()
    proc = report(foreign)
    assert proc.returncode == 2 and "is not a published file (no publish_info" in proc.stderr
    assert not (tmp_path / "r.html").exists()
    # published by an older version: the report's newer tables are missing
    with duckdb.connect(str(foreign)) as con:
        con.execute("create table publish_info as select 1 as x")
    proc = report(foreign)
    assert proc.returncode == 2 and "lacks the report's tables" in proc.stderr


@pytest.mark.fast
def test_report_out_must_be_an_html_path_holding_no_other_file(tmp_path, capsys):
    """The report replaces the file at --out whole: the published file, a build database or any
    other file that is not HTML is refused naming the path, as is a folder or a path under a
    file; checked before the published file is read."""
    from leadscore.cli import main

    published = tmp_path / "lead_scoring.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute("create table publish_info as select 1 as x")
    disguised = tmp_path / "old_report.html"  # a DuckDB file named like a report
    shutil.copyfile(published, disguised)
    folder = tmp_path / "reports.html"
    folder.mkdir()
    cases = {
        published: "the report is an HTML file, give a path ending in .html",
        tmp_path / "report.txt": "the report is an HTML file, give a path ending in .html",
        disguised: "exists and is not an HTML file: refusing to replace it",
        folder: "is a folder",
        published / "report.html": f"{published} is a file, not a folder",
    }
    before = {p: p.read_bytes() for p in (published, disguised)}
    for out, message in cases.items():
        assert main(["report", "--published", str(published), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"error: --out {out}" in err and message in err, err
    assert {p: p.read_bytes() for p in (published, disguised)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (published, disguised, folder)
    )


def test_precision_summary_lists_every_k_with_its_interval(sample_published):
    text = precision_summary(sample_published)
    with duckdb.connect(str(sample_published), read_only=True) as con:
        cv = con.execute(
            "select k, n, hits, precision, ci_low, ci_high from cv_precision_at_k order by k"
        ).fetchall()
    lines = [
        line.split() for line in text.splitlines()[1:] if line.split()[0] == "cross_validation"
    ]
    assert [(int(w[1]), w[2]) for w in lines] == [(k, f"{hits}/{n}") for k, n, hits, *_ in cv]
    for words, (_, _, _, precision, low, high) in zip(lines, cv, strict=True):
        assert words[3:6] == [f"{precision:.1%}", f"{low:.1%}", "-"] and words[6] == f"{high:.1%}"


@pytest.mark.browser
def test_report_renders_every_chart_in_a_browser(sample_report):
    with open_in_browser(sample_report) as opened:
        stats = assert_every_chart_drawn(opened, sample_report)
        assert set(CHART_IDS) <= set(stats)
        opened.screenshot("report_screenshot_sample.png")


@pytest.mark.fast
def test_without_a_browser_the_test_says_skipped_or_fails_when_required(monkeypatch):
    from report_browser import chromium_or_skip

    monkeypatch.setenv("LEADSCORE_CHROMIUM", "/nonexistent/chromium-headless-shell")
    monkeypatch.delenv("LEADSCORE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="browser test skipped: no headless Chromium"):
        chromium_or_skip()
    monkeypatch.setenv("LEADSCORE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="LEADSCORE_REQUIRE_BROWSER=1"):
        chromium_or_skip()


@pytest.mark.fast
def test_report_times_are_utc_in_any_machine_zone():
    import pandas as pd

    from leadscore.report.tables import when

    # published_at is read in the machine's zone: shown as UTC like every other time
    kiritimati = pd.Timestamp("2026-12-01 01:46:31.7+14:00")
    assert when(kiritimati) == "2026-11-30 11:46:31"
    assert when(pd.Timestamp("2026-11-30 11:46:31.7")) == "2026-11-30 11:46:31"
    assert when(None) == "-"
