"""Outreach lists, rollout phases, export and history on one real build of a modified sample.

The raw sample copy gets: a do_not_contact file (one lead by lead_id, one by e-mail, one that
matches nobody), a recent contact, an old contact, and 40 phase-1 contacts with known outcomes
(26 responded) made 5 days before the as-of. As in production, the leads were scored before
they were contacted: a first build scores them as of 6 days before, then the build every
read-only test uses (k=7, threshold=0.3); the last test re-runs the scoring part.
"""

import csv
import math
import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from conftest import DbtProject, part_of

from leadscore.settings import DEFAULT_ARTIFACT_DIR, DEFAULT_SAMPLE_DIR, PROJECT_ROOT

Z = 1.959963984540054
# the lists and everything upstream of them (unit tests run in the shared sample build)
SCORING_SELECTION = part_of(
    "+rollout_phase3_production",
    "+outreach_by_threshold",
    "+rollout_phase1_validation",
    "+outreach_top_k",
    "+outreach_export",
    "+lead_score_history",
)
K = 7
THRESHOLD = 0.3
PHASE1_RESPONDED, PHASE1_SILENT = 26, 14


def _ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def _manual_contact(contact_id, lead, contacted, responded="", responded_at=None):
    """An outreach row of a manual inmail outside any experiment."""
    return [contact_id, lead, "manual", "inmail", "", _ts(contacted), responded,
            _ts(responded_at) if responded_at else ""]  # fmt: skip


@pytest.fixture(scope="module")
def setup(sample_build, tmp_path_factory):
    base = sample_build
    art = DEFAULT_ARTIFACT_DIR
    eligible = base.df(
        "select e.lead_id, l.email, e.feature_as_of from outreach_eligible_leads e "
        "join leads l using (lead_id) order by e.score_rank"
    )
    as_of = eligible["feature_as_of"].iloc[0].to_pydatetime()
    ids = eligible["lead_id"].tolist()
    picks = {
        "dnc_id": ids[0],
        "dnc_email": ids[1],
        "recent": ids[2],
        "old": ids[3],
        "phase1": ids[4 : 4 + PHASE1_RESPONDED + PHASE1_SILENT],
        # contacted 10 days ago, but the row is rejected from outreach (not a usable label)
        "recent_bad_response": ids[44],
        "recent_repeated_id": ids[45],
        # contacted 10 days ago, its lead_id written with a tab after it
        "recent_padded_id": ids[46],
    }
    dnc_email = eligible["email"].iloc[1]
    assert dnc_email, "second-best lead needs an e-mail for the suppression test"

    raw = tmp_path_factory.mktemp("selection_raw")
    for f in DEFAULT_SAMPLE_DIR.iterdir():
        (raw / f.name).write_bytes(f.read_bytes())
    (raw / "do_not_contact.csv").write_text(
        '"lead_id","email","reason"\n'
        f'"{picks["dnc_id"]}",,"asked not to be contacted"\n'
        f',"{dnc_email}","unsubscribed"\n'
        ',"nobody@nowhere.example","GDPR objection"\n'
    )
    rows = [
        _manual_contact("T-recent", picks["recent"], as_of - timedelta(days=10)),
        _manual_contact(
            "T-bad-response",
            picks["recent_bad_response"],
            as_of - timedelta(days=10),
            "true",
            as_of - timedelta(days=11),
        ),
        _manual_contact("T-recent", picks["recent_repeated_id"], as_of - timedelta(days=10)),
        _manual_contact("T-padded", picks["recent_padded_id"] + "\t", as_of - timedelta(days=10)),
        _manual_contact("T-old", picks["old"], as_of - timedelta(days=200), "false"),
    ]
    for i, lead in enumerate(picks["phase1"]):
        contacted = as_of - timedelta(days=5)
        yes = i < PHASE1_RESPONDED
        rows.append(
            [
                f"T-p1-{i:03d}",
                lead,
                "phase1-validation",
                "inmail",
                "model",
                _ts(contacted),
                "true" if yes else "false",
                _ts(contacted + timedelta(days=1)) if yes else "",
            ]
        )
    text = (raw / "outreach.csv").read_text()
    with open(raw / "outreach.csv", "a", newline="") as fh:
        if text and not text.endswith("\n"):
            fh.write("\n")
        # Same style as the sample: every value quoted, missing values as nothing.
        fh.writelines(",".join(f'"{v}"' if v else "" for v in r) + "\n" for r in rows)

    project = DbtProject(tmp_path_factory.mktemp("selection_build"))
    vars_ = {
        "raw_data_path": str(raw),
        "model_dir": str(art),
        "k": K,
        "threshold": THRESHOLD,
        "export_dir": str(project.workdir / "exports"),
    }
    # the scores the phase-1 leads had when they were chosen, 6 days before the as-of
    scored_before = as_of - timedelta(days=6)
    # (that build only has to commit its scores to the history)
    project.dbt(
        "build",
        *part_of("+lead_score_history"),
        vars={**vars_, "as_of": _ts(scored_before).replace("T", " ")},
    )
    project.dbt("build", *SCORING_SELECTION, vars=vars_)
    return {
        "project": project,
        "picks": picks,
        "vars": vars_,
        "as_of": as_of,
        "scored_before": scored_before,
    }


@pytest.fixture(scope="module")
def project(setup):
    return setup["project"]


@pytest.fixture(scope="module")
def eligible(project):
    return project.df("select * from outreach_eligible_leads order by score_rank")


def test_suppression_and_recent_contacts(setup, project, eligible):
    picks = setup["picks"]
    ids = set(eligible["lead_id"])
    recent = ("recent", "recent_bad_response", "recent_repeated_id", "recent_padded_id")
    for key in ("dnc_id", "dnc_email", *recent):
        assert picks[key] not in ids, key
    # those two contacts are no labels (rejected from outreach), yet they happened
    assert project.query(
        "select lead_id, reject_reason from stg_outreach_checked where reject_reason is not null "
        "order by source_line"
    ) == [
        (picks["recent_bad_response"], "response before its contact"),
        (picks["recent_repeated_id"], "duplicate contact_id (first seen on line 305)"),
    ]
    assert picks["old"] in ids  # contacted 200 days ago: outside the 90-day window
    assert not ids & set(picks["phase1"])  # contacted 5 days ago
    scored = {r[0] for r in project.query("select lead_id from lead_scores")}
    assert picks["dnc_id"] in scored  # still scored, just not selectable
    # an opt-out that matches no lead cannot be applied: it is reported (not_applied), not dropped
    # (this build selects only scoring; data_quality_issues reports it, see test_features)
    assert project.query(
        "select email, email__not_applied from stg_do_not_contact_checked "
        "where reject_reason is not null or email__not_applied is not null"
    ) == [("nobody@nowhere.example", "matches no accepted lead (by e-mail): not applied")]
    for table in (
        "outreach_top_k",
        "outreach_by_threshold",
        "rollout_phase1_validation",
        "rollout_phase3_production",
        "outreach_export",
    ):
        listed = {r[0] for r in project.query(f"select lead_id from {table}")}
        assert listed <= ids, table


def test_top_k_is_exactly_k_best(project, eligible):
    top = project.df("select * from outreach_top_k order by list_position")
    assert len(top) == K
    assert top["lead_id"].tolist() == eligible["lead_id"].head(K).tolist()
    assert top["list_position"].tolist() == list(range(1, K + 1))
    assert top["k_requested"].eq(K).all()
    p = eligible["engagement_score"].head(K).to_numpy()
    assert top["expected_precision"].iloc[0] == pytest.approx(p.mean())
    assert top["expected_responses"].iloc[0] == pytest.approx(p.sum())
    assert top["list_min_score"].iloc[0] == pytest.approx(p.min())
    sd = math.sqrt((p * (1 - p)).sum())
    assert top["expected_precision_low"].iloc[0] == pytest.approx(max(0, p.sum() - Z * sd) / K)
    assert top["expected_precision_high"].iloc[0] == pytest.approx(min(K, p.sum() + Z * sd) / K)


def test_threshold_list_uses_var(project, eligible):
    lst = project.df("select * from outreach_by_threshold order by list_position")
    expected = eligible[eligible["engagement_score"] >= THRESHOLD]
    assert lst["lead_id"].tolist() == expected["lead_id"].tolist()
    assert lst["threshold_used"].eq(THRESHOLD).all()
    assert lst["threshold_source"].eq("var").all()
    assert lst["engagement_score"].is_monotonic_decreasing


def test_phase1_is_top_phase1_k(project, eligible):
    p1 = project.df("select * from rollout_phase1_validation order by list_position")
    assert len(p1) == min(50, len(eligible))
    assert p1["lead_id"].tolist() == eligible["lead_id"].head(len(p1)).tolist()
    assert p1["campaign_id"].eq("phase1-validation").all()


def _wilson(h, n):
    p = h / n
    c = p + Z * Z / (2 * n)
    d = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return (c - d) / (1 + Z * Z / n), (c + d) / (1 + Z * Z / n)


def test_phase2_gate_and_recommendation(setup, project, eligible):
    p2 = project.df("select * from rollout_phase2_calibration").iloc[0]
    n = PHASE1_RESPONDED + PHASE1_SILENT
    assert (p2["contacted"], p2["responded"], p2["known"], p2["pending"]) == (
        n,
        PHASE1_RESPONDED,
        n,
        0,
    )
    obs = PHASE1_RESPONDED / n
    assert p2["observed_precision"] == pytest.approx(obs)
    lo, hi = _wilson(PHASE1_RESPONDED, n)
    assert (p2["observed_ci_low"], p2["observed_ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    am = project.df("select * from model_card").iloc[0]
    expected_gate = (
        "proceed"
        if obs >= am["gate_proceed"]
        else "recalibrate"
        if obs >= am["gate_recalibrate"]
        else "stop"
    )
    assert p2["gate"] == expected_gate
    # Recommendation rule: scale eligible scores by observed / predicted, largest K whose mean
    # recalibrated probability reaches the target.
    # predicted = the scores the leads had when contacted (first build), never today's
    pred = project.df(
        "select h.engagement_score from lead_score_history h join outreach o using (lead_id) "
        "where o.campaign_id = 'phase1-validation' and h.feature_as_of = "
        f"timestamp '{_ts(setup['scored_before'])}'"
    )["engagement_score"].mean()
    assert p2["scored_outcomes"] == n
    assert p2["predicted_precision"] == pytest.approx(pred)
    factor = obs / pred
    running = np.cumsum(
        np.minimum(1, factor * eligible["engagement_score"].to_numpy())
    ) / np.arange(1, len(eligible) + 1)
    ok = np.nonzero(running >= am["target_precision"])[0]
    phase3 = project.df("select * from rollout_phase3_production order by list_position")
    if len(ok):
        k = int(ok.max()) + 1
        assert p2["recommended_k"] == k
        assert p2["recommended_threshold"] == pytest.approx(
            eligible["engagement_score"].iloc[k - 1]
        )
        assert phase3["threshold_used"].eq(p2["recommended_threshold"]).all()
        assert len(phase3) == (eligible["engagement_score"] >= p2["recommended_threshold"]).sum()
    else:
        assert np.isnan(p2["recommended_k"]) or p2["recommended_k"] is None
        assert len(phase3) == 0


def test_phase2_too_few_outcomes_without_phase1(sample_build):
    base = sample_build
    p2 = base.df("select * from rollout_phase2_calibration").iloc[0]
    assert p2["gate"] == "too few outcomes" and p2["known"] == 0
    am = base.df("select * from model_card").iloc[0]
    p3 = base.df("select distinct threshold_used, threshold_source from rollout_phase3_production")
    assert len(p3) <= 1
    if len(p3):
        assert p3["threshold_used"].iloc[0] == pytest.approx(am["threshold_score"])
        assert p3["threshold_source"].iloc[0] == "model_card"


def test_export_csv_written(setup, project):
    now = datetime.now(UTC)
    days = {
        (now - timedelta(days=d)).strftime("%Y%m%d") for d in (0, 1)
    }  # a run may straddle midnight
    files = list((project.workdir / "exports").glob("outreach_list_*.csv"))
    assert len(files) == 1 and files[0].name in {f"outreach_list_{d}.csv" for d in days}
    with open(files[0], newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == K
    assert "email" not in rows[0] and {
        "lead_id",
        "full_name",
        "profile_url",
        "engagement_score",
        "priority",
        "score_rank",
        "reason_up_1",
        "reason_down_3",
    } <= set(rows[0])
    top = project.df("select lead_id from outreach_top_k order by list_position")
    assert [r["lead_id"] for r in rows] == top["lead_id"].tolist()


@pytest.mark.parametrize(
    ("vars_", "message"),
    [
        ({"k": 0}, "Invalid dbt var k=0"),
        ({"k": "5; drop table x"}, "Invalid dbt var k=5; drop table x: expected a whole number"),
        ({"phase1_k": 2.5}, "Invalid dbt var phase1_k"),
        ({"threshold": 1.5}, "Invalid dbt var threshold=1.5: must be strictly between 0 and 1"),
        ({"threshold": "0.5 or 1=1"}, "Invalid dbt var threshold"),
        # out of range for the warehouse's integers / infinite: refused before any model runs
        (
            {"k": 10**20},
            f"Invalid dbt var k={10**20}: must be a whole number >= 1 and <= 2000000000",
        ),
        (
            {"value_per_response": "1e400"},
            "Invalid dbt var value_per_response=1e400: expected a finite number",
        ),
    ],
)
def test_invalid_vars_fail_with_message(dbt_project, vars_, message):
    """Refused by the engine's on-run-start hook, before any model runs."""
    result = dbt_project.dbt("build", "--select", "outreach_top_k", vars=vars_, check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr
    assert not dbt_project.db_path.exists() or dbt_project.query(
        "select count(*) from duckdb_tables() where database_name = current_database()"
    ) == [(0,)]


@pytest.mark.parametrize(
    ("vars_", "message"),
    [
        ({"k": 0}, "Invalid dbt var k=0"),
        # read at parse time: it decides which list the export model refs
        ({"export_list": "stg_leads"}, "Invalid dbt var export_list"),
    ],
)
def test_an_invalid_var_fails_the_parse(dbt_project, vars_, message):
    """Models check the vars they use while dbt parses them: `dbt parse` (or compile, docs
    generate) refuses too, without a database."""
    result = dbt_project.dbt("parse", vars=vars_, check=False)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


# Read with var() by the macro that checks them (or by YAML configs, checked when the build
# starts and by the Python scorer): every other ruled var goes through checked_var.
VARS_WITH_THEIR_OWN_READER = {"model_dir", "export_dir", "scoring_engine", "scoring_batch_size"}


@pytest.mark.fast
def test_models_read_ruled_vars_only_through_checked_var():
    """So a model checks each var it uses while dbt parses it, as the test above shows for k:
    a bare var('threshold') in a model would reach SQL unchecked by `dbt compile`."""
    engine = PROJECT_ROOT / "engine"
    rules = set(
        re.findall(r"'(\w+)': \{'type'", (engine / "macros/validated_vars.sql").read_text())
    )
    assert {"k", "threshold", "phase1_k", "value_per_response"} <= rules
    bare = [
        f"{path.relative_to(PROJECT_ROOT)}: var('{name}')"
        for path in sorted([*engine.rglob("*.sql"), *engine.rglob("*.yml")])
        if path.name != "validated_vars.sql"
        for name in re.findall(r"(?<![\w.])var\(\s*['\"](\w+)['\"]", path.read_text())
        if name in rules - VARS_WITH_THEIR_OWN_READER
    ]
    assert bare == []


def test_history_not_duplicated_and_k_beyond_eligible(setup, project, eligible):
    before = project.query("select count(*) from lead_score_history")[0][0]
    n_scores = project.query("select count(*) from lead_scores")[0][0]
    assert before == 2 * n_scores  # two as-of dates were scored
    vars_ = dict(setup["vars"], k=100000)
    project.dbt(
        "run",
        "--select",
        "lead_scores",
        "lead_score_history",
        "outreach_eligible_leads",
        "outreach_top_k",
        vars=vars_,
    )
    after = project.query(
        "select count(*), count(distinct (model_version, feature_as_of, lead_id)), "
        "count(distinct scored_at) from lead_score_history"
    )[0]
    assert after == (2 * n_scores, 2 * n_scores, 2)
    # K larger than the eligible pool: all eligible leads, in rank order.
    top = project.df("select lead_id from outreach_top_k order by list_position")
    assert top["lead_id"].tolist() == eligible["lead_id"].tolist()
