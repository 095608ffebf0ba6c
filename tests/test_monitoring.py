"""Monitoring marts (issue 5) against independent Python computations on a real dbt build.

Scenario (one module-scoped pair of builds on a tmp copy of the bundled sample):
  build 1  as_of 2026-10-28 (+lead_score_history) -> lead_score_history gets the scores campaigns can be judged by;
  then outreach rows are appended for extra campaigns:
    T-TIES     model list only (no random arm), 3 leads contacted twice -> tied scores
    T-AB       model arm + random arm with outcomes
    T-PENDING  every outcome pending
    T-EMPTY    contacted before any score existed -> empty evaluation set
    T-LATE     contacted after build 2's as_of -> judged by the build-2 scores
  build 2  as_of 2026-11-20 (history now holds two as-of dates).
Each test recomputes one mart from the raw files / input tables with pandas, numpy and scipy.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import NO_UNIT_TESTS, DbtProject, part_of
from scipy import stats

from leadscore import settings

Z = 1.959963984540054
AS_OF_1 = "2026-10-28"
AS_OF_2 = "2026-11-20"
TIE_KEYS = (["score", "lead_id", "contact_id"], [False, True, True])


# ----------------------------------------------------------------------------- scenario
def _extra_outreach(leads: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    n = [0]

    def add(campaign, lead, group, when, responded):
        n[0] += 1
        rows.append(
            {
                "contact_id": f"OT{n[0]:05d}",
                "lead_id": lead,
                "campaign_id": campaign,
                "channel": "inmail",
                "experiment_group": group,
                "contacted_at": when,
                "responded": "" if responded is None else ("true" if responded else "false"),
                "responded_at": "2026-11-28T10:00:00" if responded else "",
            }
        )

    pool = list(leads)
    rng.shuffle(pool)
    take = iter(pool)
    tie_leads = [next(take) for _ in range(3)]
    for i, lead in enumerate(tie_leads):  # each contacted twice: same score, different outcome
        add("T-TIES", lead, "model", f"2026-11-0{i + 1}T09:00:00", True)
        add("T-TIES", lead, "model", f"2026-11-0{i + 1}T10:00:00", False)
    for _ in range(9):
        add("T-TIES", next(take), "", "2026-11-04T09:00:00", bool(rng.random() < 0.5))
    for _ in range(30):
        add("T-AB", next(take), "model", "2026-11-05T09:00:00", bool(rng.random() < 0.6))
    for _ in range(20):
        add("T-AB", next(take), "random", "2026-11-05T11:00:00", bool(rng.random() < 0.3))
    for _ in range(8):
        add("T-PENDING", next(take), "model", "2026-11-06T09:00:00", None)
    for _ in range(6):
        add("T-EMPTY", next(take), "model", "2026-10-20T09:00:00", bool(rng.random() < 0.5))
    for _ in range(5):
        add("T-LATE", next(take), "model", "2026-11-25T09:00:00", bool(rng.random() < 0.5))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("monitoring")
    raw = tmp / "raw"
    shutil.copytree(settings.DEFAULT_SAMPLE_DIR, raw)
    project = DbtProject(tmp)
    # the project's default model_dir (not given as a var: the session's parse is reused)
    model_dir = settings.DEFAULT_ARTIFACT_DIR
    base_vars = {"raw_data_path": str(raw)}
    # build 1 only has to commit its scores to the history: what it needs, not the marts
    project.dbt(
        "build",
        *part_of("+lead_score_history"),
        vars={**base_vars, "as_of": AS_OF_1},
    )
    outreach = pd.read_csv(raw / "outreach.csv", dtype=str, keep_default_na=False)
    leads = pd.read_csv(raw / "leads.csv", dtype=str)["lead_id"].tolist()
    extra = _extra_outreach(leads)
    pd.concat([outreach, extra]).to_csv(raw / "outreach.csv", index=False)
    project.dbt(
        "build",
        "--exclude",
        "outreach_export",
        *NO_UNIT_TESTS,
        vars={**base_vars, "as_of": AS_OF_2},
    )
    card = json.loads((model_dir / "model_card.json").read_text())
    oof = pd.read_json(
        model_dir / "tables" / "oof_predictions.jsonl",
        lines=True,
        precise_float=True,
        dtype={"lead_id": str, "contact_id": str},
    )
    return {"project": project, "raw": raw, "card": card, "oof": oof}


@pytest.fixture(scope="module")
def db(scenario):
    return scenario["project"]


@pytest.fixture(scope="module")
def contacts(scenario, db):
    """Every outreach contact with label, arm and score at contact time, from the raw file."""
    o = pd.read_csv(scenario["raw"] / "outreach.csv", dtype=str, keep_default_na=False)
    stg = set(db.df("select contact_id from outreach")["contact_id"])
    o = o[o["contact_id"].isin(stg)].copy()  # rows staging accepted
    o["contacted_at"] = pd.to_datetime(o["contacted_at"])
    o["label"] = o["responded"].map({"true": 1.0, "false": 0.0, "": np.nan})
    o["arm"] = o["experiment_group"].map({"model": "model", "random": "random"}).fillna("none")
    hist = db.df(
        "select lead_id, feature_as_of, scored_at, first_scored_at, model_version, "
        "engagement_score from lead_score_history"
    )
    (deployed,) = db.query("select model_version from model_card")[0]
    return o.merge(_score_at_contact(o, hist, deployed), on="contact_id", how="left")


def _score_at_contact(contacts, history, deployed_version):
    """contact_id -> score_at_contact, score_model_version: the score that chose the lead (the
    latest that existed at contact time; else the latest as-of, the deployed model's, the latest
    scored)."""
    m = contacts.merge(history, on="lead_id")
    m = m[m["feature_as_of"] <= m["contacted_at"]]
    existed = m["first_scored_at"] <= m["contacted_at"]
    m = m.assign(
        existed=existed,
        existed_at=m["first_scored_at"].where(existed),
        deployed=m["model_version"] == deployed_version,
    )
    keys = ["existed", "existed_at", "feature_as_of", "deployed", "scored_at", "model_version"]
    m = m.sort_values(
        ["contact_id", *keys], ascending=[True] + [False] * len(keys), na_position="last"
    ).drop_duplicates("contact_id")
    return m.rename(
        columns={"engagement_score": "score_at_contact", "model_version": "score_model_version"}
    )[["contact_id", "score_at_contact", "score_model_version"]]


@pytest.fixture(scope="module")
def eval_sets(scenario, contacts):
    sets = {"cross_validation": scenario["oof"][["lead_id", "contact_id", "score", "label"]]}
    known = contacts.dropna(subset=["label", "score_at_contact"])
    for cid, g in known.groupby("campaign_id"):
        sets[cid] = g.rename(columns={"score_at_contact": "score"})[
            ["lead_id", "contact_id", "score", "label"]
        ]
    return sets


def wilson(h, n):
    if n == 0:
        return None, None
    p = h / n
    c = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    w = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, c - w), min(1.0, c + w)


def close(a, b, tol=1e-12):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    if b is None or b is pd.NA or (isinstance(b, float) and math.isnan(b)):
        return False
    return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)


def ranked(df):
    return df.sort_values(TIE_KEYS[0], ascending=TIE_KEYS[1], kind="mergesort").reset_index(
        drop=True
    )


# ----------------------------------------------------------------------------- tests
def test_scenario_has_the_edge_cases(db, contacts, eval_sets):
    perf = db.df("select * from campaign_performance").set_index("campaign_id")
    assert perf.loc["T-PENDING", "pending"] == 8 and perf.loc["T-PENDING", "known_outcomes"] == 0
    assert perf.loc["T-EMPTY", "scored_outcomes"] == 0 and "T-EMPTY" not in eval_sets
    assert perf.loc["T-TIES", "random_contacted"] == 0
    t = eval_sets["T-TIES"]
    assert t.duplicated("score", keep=False).sum() >= 6  # tied scores inside the campaign
    assert contacts.loc[contacts.campaign_id == "T-LATE", "score_at_contact"].notna().all()


def test_a_later_build_of_another_model_does_not_take_over_the_judgement(scenario, tmp_path):
    """Another model's scores at the same as-of, committed after the deployed model's (a trial,
    a backfill): campaigns stay judged by the deployed model. A score that existed when the
    contact was made comes first (the latest of them: the list in force then), and a re-run of
    its build after the contacts does not move the moment it existed, unless it changed the
    score."""
    project = DbtProject.copy_of(scenario["project"], tmp_path / "copy")
    (deployed,) = project.query("select model_version from model_card")[0]
    contacts = project.df("select contact_id, lead_id, contacted_at from outreach")
    build_vars = {"raw_data_path": str(scenario["raw"]), "as_of": AS_OF_2}

    def judged_by():
        project.dbt("run", "--select", "monitoring_contacts", vars=build_vars)
        got = project.df(
            "select contact_id, score_model_version from monitoring_contacts "
            "where score_model_version is not null"
        )
        history = project.df("select * from lead_score_history")
        want = _score_at_contact(contacts, history, deployed).dropna()
        assert dict(got.values) == dict(want[["contact_id", "score_model_version"]].values)
        return got.score_model_version.value_counts().to_dict()

    def add_other_model(version, scored_at):
        project.execute(
            "insert into lead_score_history_committed select * replace "
            f"('{version}' as model_version, timestamp '{scored_at}' as scored_at, "
            f"timestamp '{scored_at}' as first_scored_at, 1 - engagement_score as engagement_score) "
            f"from lead_score_history_committed where model_version = '{deployed}' "
            f"and feature_as_of = timestamp '{AS_OF_2}'"
        )

    def deployed_scored(first_scored_at):
        project.execute(
            f"update lead_score_history_committed set first_scored_at = timestamp "
            f"'{first_scored_at}' where model_version = '{deployed}' "
            f"and feature_as_of = timestamp '{AS_OF_2}'"
        )

    before = judged_by()
    add_other_model("later-trial", "2099-01-01 00:00:00")  # scored after everything
    assert judged_by() == before == {deployed: sum(before.values())}
    # a score that existed when T-LATE's leads were contacted (2026-11-25) chose them
    add_other_model("earlier-list", "2026-11-21 00:00:00")
    after = judged_by()
    assert after["earlier-list"] == 5 and sum(after.values()) == sum(before.values())
    # of scores that existed then, the latest: the list in force at contact time, even over
    # the deployed model's own earlier one
    deployed_scored("2026-11-22 00:00:00")
    add_other_model("newer-list", "2026-11-24 00:00:00")
    assert judged_by()["newer-list"] == 5
    # the deployed list came after earlier-list and before the contacts; a re-run of its build
    # after the contacts (committed as leadscore publish commits its history) keeps its
    # first_scored_at
    project.execute("delete from lead_score_history_committed where model_version = 'newer-list'")
    assert judged_by()[deployed] == sum(before.values())
    rerun_at = "2026-11-30 12:00:00"
    project.execute(f"update lead_scores set scored_at = timestamp '{rerun_at}'")
    # ... unless the re-run changed the score (activities that arrived late): that score did
    # not exist at contact time, the earlier list's did
    (late_lead,) = project.query(
        "select lead_id from outreach where campaign_id = 'T-LATE' order by lead_id limit 1"
    )[0]
    project.execute(
        f"update lead_scores set engagement_score = engagement_score / 2 where lead_id = '{late_lead}'"
    )
    project.dbt("run-operation", "leadscore.commit_score_history", vars=build_vars)
    assert project.query(
        "select lead_id = ? as changed, scored_at, first_scored_at, count(*) "
        "from lead_score_history_committed "
        f"where model_version = '{deployed}' and feature_as_of = timestamp '{AS_OF_2}' "
        "group by all order by all",
        [late_lead],
    ) == [
        (False, pd.Timestamp(rerun_at), pd.Timestamp("2026-11-22"), 1302),
        (True, pd.Timestamp(rerun_at), pd.Timestamp(rerun_at), 1),
    ]
    after_rerun = judged_by()
    assert after_rerun == {deployed: sum(before.values()) - 1, "earlier-list": 1}


def test_a_history_committed_before_first_scored_at_gains_it(scenario, tmp_path):
    """A score history committed by an engine without first_scored_at: the next build adds the
    column (NULL in the old rows) and lead_score_history shows scored_at there. The same for
    the oldest engines' lead_score_history table, taken over into a new store."""
    project = DbtProject.copy_of(scenario["project"], tmp_path / "copy")
    drop_column = "alter table lead_score_history_committed drop column first_scored_at"
    project.execute(drop_column)
    old = project.df("select * from lead_score_history_committed")
    # a build of the older engine, committed by this one (leadscore publish): the commit adds it
    project.dbt("run-operation", "leadscore.commit_score_history", vars={"as_of": AS_OF_2})
    committed = project.df("select * from lead_score_history_committed")
    recommitted = committed[committed.feature_as_of == pd.Timestamp(AS_OF_2)]
    assert len(committed) == len(old) and 0 < len(recommitted) < len(committed)
    assert (recommitted.first_scored_at == recommitted.scored_at).all()
    assert committed.first_scored_at.isna().sum() == len(committed) - len(recommitted)
    project.execute(drop_column)

    def build_history_and_check(first_scored_at_is_null):
        project.dbt(
            "run",
            "--select",
            "lead_score_history_committed",
            "lead_score_history",
            vars={"raw_data_path": str(scenario["raw"]), "as_of": AS_OF_2},
        )
        committed = project.df("select * from lead_score_history_committed")
        assert len(committed) == len(old)
        assert committed.first_scored_at.isna().all() == first_scored_at_is_null
        shown = project.df("select scored_at, first_scored_at from lead_score_history")
        assert len(shown) == len(old) and (shown.first_scored_at == shown.scored_at).all()

    build_history_and_check(first_scored_at_is_null=True)
    project.execute(
        "drop view lead_score_history; create table lead_score_history as "
        "select * exclude (first_scored_at) from lead_score_history_committed; "
        "drop table lead_score_history_committed"
    )
    build_history_and_check(first_scored_at_is_null=False)


def test_cv_precision_at_k_equals_model_card(scenario, db):
    rows = db.df(
        "select k, n, hits, precision, ci_low, ci_high, lift, min_score "
        "from cv_precision_at_k order by k"
    ).to_dict("records")
    card_rows = scenario["card"]["validation"]["precision_at_k"]
    assert [r["k"] for r in rows] == list(scenario["card"]["k_values"])
    for mine, theirs in zip(rows, card_rows, strict=True):
        for key in ("k", "n", "hits", "precision", "ci_low", "ci_high", "lift", "min_score"):
            assert mine[key] == theirs[key], (key, mine, theirs)  # to the last digit


def test_precision_at_k_every_set(scenario, db, eval_sets):
    ks = scenario["card"]["k_values"]
    got = db.df("select * from precision_at_k")
    assert set(got["evaluated_set"]) == set(eval_sets)
    for name, df in eval_sets.items():
        r = ranked(df)
        base = r["label"].sum() / len(r)
        for k in ks:
            n = min(k, len(r))
            top = r.iloc[:n]
            hits = int(top["label"].sum())
            lo, hi = wilson(hits, n)
            if name == "cross_validation":  # the card's interval (Wilson and bootstrap)
                card = {r["k"]: r for r in scenario["card"]["validation"]["precision_at_k"]}
                lo, hi = card[k]["ci_low"], card[k]["ci_high"]
            row = got[(got.evaluated_set == name) & (got.k == k)].iloc[0]
            assert (row.n, row.hits) == (n, hits), (name, k)
            assert (
                close(row.precision, hits / n) and close(row.ci_low, lo) and close(row.ci_high, hi)
            )
            assert close(row.base_rate, base) and close(
                row.lift, (hits / n) / base if base else None
            )
            assert close(row.min_score_taken, top["score"].min())


def test_lift_by_decile(db, eval_sets):
    got = db.df("select * from lift_by_decile order by evaluated_set, decile")
    for name, df in eval_sets.items():
        r = ranked(df)
        parts = np.array_split(np.arange(len(r)), min(10, len(r)))
        g = got[got.evaluated_set == name].reset_index(drop=True)
        assert len(g) == len(parts)
        pos, neg = r["label"].sum(), len(r) - r["label"].sum()
        base = pos / len(r)
        cum_l = cum_r = 0
        ks = []
        for i, idx in enumerate(parts):
            part = r.iloc[idx]
            row = g.iloc[i]
            resp = int(part["label"].sum())
            cum_l += len(part)
            cum_r += resp
            lo, hi = wilson(resp, len(part))
            assert (row.decile, row.leads, row.responders) == (i + 1, len(part), resp)
            assert close(row.min_score, part.score.min()) and close(row.max_score, part.score.max())
            assert close(row.mean_score, part.score.mean(), 1e-9)
            assert close(row.ci_low, lo) and close(row.ci_high, hi)
            assert close(row.cum_lift, (cum_r / cum_l) / base if base else None)
            assert close(row.cum_ci_low, wilson(cum_r, cum_l)[0]) and close(
                row.cum_ci_high, wilson(cum_r, cum_l)[1]
            )
            gain = cum_r / pos if pos else None
            nongain = (cum_l - cum_r) / neg if neg else None
            assert close(row.cum_responders_pct, gain) and close(
                row.cum_non_responders_pct, nongain
            )
            if gain is not None and nongain is not None:
                ks.append(gain - nongain)
        if ks:
            assert close(g.ks_statistic.iloc[0], max(ks))


def test_threshold_curve(db, eval_sets):
    got = db.df("select * from threshold_curve")
    assert len(got) == 101 * len(eval_sets)
    for name, df in eval_sets.items():
        g = got[got.evaluated_set == name].set_index("threshold")
        for i in range(101):
            t = i / 100
            sel = df[df.score >= t]
            row = g.loc[t]
            hits = int(sel.label.sum())
            assert row.leads_selected == len(sel) and row.hits == hits
            lo, hi = wilson(hits, len(sel))
            assert close(row.ci_low, lo) and close(row.ci_high, hi)
            assert close(row.recall, hits / df.label.sum() if df.label.sum() else None)
            assert close(row.coverage, len(sel) / len(df))
            assert close(row.expected_responses, sel.score.sum(), 1e-9)


def _decision(p, known, proceed, recal, min_outcomes=30):
    """The guide's gate (one rule for phase 2 and campaigns)."""
    if p is None or known < min_outcomes:
        return "too few outcomes"
    return "proceed" if p >= proceed else "recalibrate" if p >= recal else "stop"


def _certainty(decision, lo, hi, proceed, recal):
    if decision == "proceed":
        return "clear" if lo >= proceed else "uncertain"
    if decision == "recalibrate":
        return "clear" if lo >= recal and hi < proceed else "uncertain"
    if decision == "stop":
        return "clear" if hi < recal else "uncertain"
    return None


def test_campaign_performance(scenario, db, contacts):
    card = scenario["card"]
    gates = card["gates"]
    got = db.df("select * from campaign_performance").set_index("campaign_id")
    assert set(got.index) == set(contacts.campaign_id)
    for cid, c in contacts.groupby("campaign_id"):
        row = got.loc[cid]
        lst, rnd = c[c.arm != "random"], c[c.arm == "random"]
        known = lst.dropna(subset=["label"])
        resp = int(known.label.sum())
        assert (
            row.contacted,
            row.list_contacted,
            row.pending,
            row.known_outcomes,
            row.responded,
        ) == (len(c), len(lst), int(lst.label.isna().sum()), len(known), resp)
        p = resp / len(known) if len(known) else None
        lo, hi = wilson(resp, len(known))
        assert close(row.actual_precision, p) and close(row.ci_low, lo) and close(row.ci_high, hi)
        scored = known.dropna(subset=["score_at_contact"])
        assert row.scored_outcomes == len(scored)
        assert close(
            row.expected_precision, scored.score_at_contact.mean() if len(scored) else None, 1e-9
        )
        rk = rnd.dropna(subset=["label"])
        rate = rk.label.mean() if len(rk) else None
        baseline = rate if rate is not None else card["training"]["base_rate"]
        assert row.baseline_source == ("random_arm" if rate is not None else "training_base_rate")
        assert close(row.lift_vs_baseline, p / baseline if p is not None and baseline else None)
        expected = (
            "no model score at contact"
            if len(known) and not len(scored)
            else _decision(p, len(known), gates["proceed"], gates["recalibrate"])
        )
        assert row.decision == expected, cid
        certainty = _certainty(expected, lo, hi, gates["proceed"], gates["recalibrate"])
        assert (
            row.decision_certainty if isinstance(row.decision_certainty, str) else None
        ) == certainty, cid
    assert got.loc["T-PENDING", "decision"] == "too few outcomes"


def test_campaign_ab_test(db, contacts):
    got = db.df("select * from campaign_ab_test").set_index("campaign_id")
    for cid, c in contacts.groupby("campaign_id"):
        row = got.loc[cid]
        m = c[c.arm != "random"].dropna(subset=["label"])
        r = c[c.arm == "random"].dropna(subset=["label"])
        assert bool(row.has_random_arm) == bool((c.arm == "random").any())
        if len(m) == 0 or len(r) == 0:
            assert pd.isna(row.z)
            continue
        x1, n1, x2, n2 = m.label.sum(), len(m), r.label.sum(), len(r)
        pool = (x1 + x2) / (n1 + n2)
        if pool in (0, 1):
            assert pd.isna(row.z)
            continue
        z = (x1 / n1 - x2 / n2) / math.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
        pval = 2 * stats.norm.sf(abs(z))
        assert close(row.z, z, 1e-9)
        assert abs(row.p_value - pval) <= 1.5e-7
        assert bool(row.significant) == (pval < 0.05)
        p0, p1 = x2 / n2, x1 / n1
        if 0 < p0 < 1 and 0 < p1 < 1 and p0 != p1:
            za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
            pbar = (p0 + p1) / 2
            need = math.ceil(
                (
                    za * math.sqrt(2 * pbar * (1 - pbar))
                    + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
                )
                ** 2
                / (p1 - p0) ** 2
            )
            assert row.required_per_arm == need
    assert got.loc["T-AB", "test_status"] in ("significant", "not significant")
    assert got.loc["T-TIES", "test_status"] == "no random arm"


def test_ab_assignment_is_seeded_70_30(db):
    got = db.df("select * from ab_assignment")
    eligible = db.df("select lead_id from outreach_eligible_leads")
    assert sorted(got.lead_id) == sorted(eligible.lead_id)
    for row in got.itertuples():
        u = int(hashlib.md5(f"leadscore-ab:{row.lead_id}".encode()).hexdigest()[:8], 16) / 16**8
        assert row.assignment_value == u
        assert row.experiment_group == ("model" if u < 0.7 else "random")
    share = (got.experiment_group == "model").mean()
    n = len(got)
    assert abs(share - 0.7) < 4 * math.sqrt(0.21 / n)


def test_weekly_precision(db, contacts):
    got = db.df("select * from weekly_precision").set_index("week_start")
    c = contacts.assign(
        week=contacts.contacted_at.dt.normalize()
        - pd.to_timedelta(contacts.contacted_at.dt.day_of_week, unit="D")
    )
    assert len(got) == c.week.nunique()
    for week, g in c.groupby("week"):
        row = got.loc[week]
        lst = g[g.arm != "random"]
        known = lst.dropna(subset=["label"])
        assert (row.contacted, row.known_outcomes, row.responded) == (
            len(lst),
            len(known),
            int(known.label.sum()),
        )
        lo, hi = wilson(int(known.label.sum()), len(known))
        assert close(row.ci_low, lo) and close(row.ci_high, hi)


def _psi(ref, cur, eps=0.5, n_bins=10):
    ref, cur = np.asarray(ref, float), np.asarray(cur, float)
    rv = np.sort(ref[~np.isnan(ref)])
    edges = np.unique([p.max() for p in np.array_split(rv, min(n_bins, len(rv))) if len(p)])

    def counts(x):
        v = x[~np.isnan(x)]
        idx = np.minimum(np.searchsorted(edges, v, side="left"), len(edges) - 1)
        out = np.bincount(idx, minlength=len(edges)).astype(float)
        return np.append(out, np.isnan(x).sum())

    rc, cc = counts(ref), counts(cur)
    if rc[-1] == 0 and cc[-1] == 0:
        rc, cc = rc[:-1], cc[:-1]
    b = len(rc)
    rs, cs = (rc + eps) / (len(ref) + eps * b), (cc + eps) / (len(cur) + eps * b)
    psi = float(np.sum((cs - rs) * np.log(cs / rs)))
    scale = 1 / len(ref) + 1 / len(cur)
    return b, psi, (b - 1) * scale, scale * stats.chi2.ppf(0.99, b - 1) if b > 1 else 0.0


def _status(psi, noise):
    if psi > 0.25 and psi > noise:
        return "major drift"
    if psi > 0.1 and psi > noise:
        return "moderate drift"
    return "within sampling noise" if psi > 0.1 else "stable"


def test_score_drift(scenario, db):
    row = db.df("select * from score_drift").iloc[0]
    cur = db.df("select engagement_score from lead_scores").engagement_score
    b, psi, expected, critical = _psi(scenario["oof"].score, cur)
    assert (row.bins, row.n_ref, row.n_cur) == (b, len(scenario["oof"]), len(cur))
    assert close(row.psi, psi, 1e-9) and close(row.psi_noise_expected, expected)
    assert abs(row.psi_noise_critical / critical - 1) < 0.02  # Wilson-Hilferty vs exact chi2
    if abs(row.psi - row.psi_noise_critical) > 1e-6:
        assert row.drift_status == _status(psi, row.psi_noise_critical)


def test_feature_drift(db):
    """Against the reference the artifact froze at training: its value counts, expanded."""
    got = db.df("select * from feature_drift").set_index("feature")
    frozen = pd.read_json(
        settings.DEFAULT_ARTIFACT_DIR / "tables" / "feature_reference.jsonl",
        lines=True,
        precise_float=True,
    )
    cur = db.df("select * from lead_features")
    features = list(dict.fromkeys(frozen.feature))
    assert sorted(got.index) == sorted(features)
    assert len(features) == len(cur.columns) - 2
    # this scenario's training rows, rebuilt today, read as they did at training
    cutoff = db.df("select trained_through from model_card").iloc[0, 0]
    rebuilt = db.df("select * from lead_training_set")
    rebuilt = rebuilt[rebuilt.feature_as_of <= cutoff]
    for f in features:
        counts = frozen[frozen.feature == f]
        ref = pd.Series(np.repeat(counts.value.to_numpy(dtype=float), counts.value_count))
        assert sorted(ref.fillna(-1)) == sorted(rebuilt[f].astype(float).fillna(-1)), f
        b, psi, expected, _critical = _psi(ref, cur[f].astype(float))
        row = got.loc[f]
        assert row.bins == b and close(row.psi, psi, 1e-9), f
        assert close(row.psi_noise_expected, expected)
        if abs(row.psi - row.psi_noise_critical) > 1e-6 and b > 2:
            assert row.drift_status == _status(psi, row.psi_noise_critical), f


def test_coverage(scenario, db, tmp_path):
    """The share above the threshold the threshold list uses: the card's, or var threshold."""
    el = db.df("select engagement_score from outreach_eligible_leads").engagement_score
    card_threshold = next(t for t in scenario["card"]["thresholds"] if t["rule"] == "target")
    copy = DbtProject.copy_of(db, tmp_path / "copy")
    copy.dbt(
        "run",
        "--select",
        "coverage",
        "outreach_by_threshold",
        vars={"raw_data_path": str(scenario["raw"]), "as_of": AS_OF_2, "threshold": 0.3},
    )
    for project, thr, source in ((db, card_threshold["score"], "model_card"), (copy, 0.3, "var")):
        row = project.df("select * from coverage").iloc[0]
        above = int((el >= thr).sum())
        assert (row.threshold_used, row.threshold_source) == (thr, source)
        assert (row.eligible_leads, row.leads_above_threshold) == (len(el), above)
        assert above == project.query("select count(*) from outreach_by_threshold")[0][0]
        share = above / len(el)
        assert close(row.coverage_share, share)
        assert row.coverage_status == (
            "below target" if share < 0.1 else "above target" if share > 0.2 else "within target"
        )


def test_retrain_triggers(scenario, db, contacts):
    got = db.df("select * from retrain_triggers").set_index("rule")
    assert list(got.sort_values("rule_order").index) == [
        "model_age",
        "recent_precision",
        "score_drift",
        "new_outcomes",
        "unseen_lead_sources",
        "labels_still_improving",
    ]
    created = pd.Timestamp(scenario["card"]["created_at"][:19])
    age = (pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() - created.normalize()).days
    assert abs(got.loc["model_age", "observed_value"] - age) <= 1
    cutoff = db.df("select trained_through from model_card").iloc[0, 0]
    new = int((contacts.label.notna() & (contacts.contacted_at > cutoff)).sum())
    assert got.loc["new_outcomes", "observed_value"] == new
    assert got.loc["new_outcomes", "status"] == ("triggered" if new >= 500 else "ok")
    perf = db.df(
        "select * from campaign_performance where decision in ('proceed', 'recalibrate', 'stop')"
    )
    if len(perf):
        last = perf.sort_values(["last_contacted_at", "campaign_id"]).iloc[-1]
        assert close(got.loc["recent_precision", "observed_value"], last.actual_precision)
        assert got.loc["recent_precision", "status"] == (
            "triggered"
            if last.actual_precision < scenario["card"]["gates"]["recalibrate"]
            else "ok"
        )
    else:
        assert got.loc["recent_precision", "status"] == "not evaluable"
    trained = {
        r[0]
        for r in db.query(
            "select distinct l.lead_source from lead_training_set t join stg_leads l using (lead_id)"
        )
    }
    eligible = {
        r[0]
        for r in db.query(
            "select distinct l.lead_source from outreach_eligible_leads e join stg_leads l using (lead_id) "
            "where l.lead_source is not null"
        )
    }
    assert got.loc["unseen_lead_sources", "status"] == ("triggered" if eligible - trained else "ok")
    reading = scenario["card"]["learning_curve"]["reading"]
    rows = scenario["card"]["training"]["rows"]
    assert got.loc["labels_still_improving", "observed_value"] == pytest.approx(new / rows)
    assert got.loc["labels_still_improving", "status"] == (
        "triggered" if reading.startswith("more labels") and new >= 0.25 * rows else "ok"
    )
    assert reading in got.loc["labels_still_improving", "evidence"]


def test_stat_macros_against_scipy(db):
    """p-value, normal CDF/quantile and sample size macros on a grid, in one dbt show."""
    zs = [0.0, 0.5, 1.0, 1.96, 2.5, 3.3, -1.2]
    ps = [0.001, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999]
    values = ", ".join(
        f"({z}, {p})" for z, p in zip(zs + [0.0] * (len(ps) - len(zs)), ps, strict=True)
    )
    sql = (
        "select z, p, {{ leadscore.two_sided_p_value('z') }} as pv, {{ leadscore.normal_cdf('z') }} as cdf, "
        "{{ leadscore.normal_quantile('p') }} as q, {{ leadscore.sample_size_per_arm('0.2', '1.5') }} as n_arm, "
        "{{ leadscore.wilson_low(3, 0) }} as wl "
        f"from (values {values}) t(z, p)"
    )
    out = db.dbt(
        "show",
        "--inline",
        sql,
        "--output",
        "json",
        "--limit",
        "100",
        vars={"raw_data_path": str(settings.DEFAULT_SAMPLE_DIR)},
    ).stdout
    payload = json.loads(out[out.index("{") : out.rindex("}") + 1])
    rows = payload["show"]
    assert len(rows) == len(ps)
    for r in rows:
        assert abs(r["pv"] - 2 * stats.norm.sf(abs(r["z"]))) <= 1.5e-7
        assert abs(r["cdf"] - stats.norm.cdf(r["z"])) <= 1e-7
        assert abs(r["q"] - stats.norm.ppf(r["p"])) <= 1e-8 * max(1, abs(r["q"]))
        assert r["wl"] is None
    p0, p1 = 0.2, 0.3
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    need = math.ceil(
        (za * math.sqrt(2 * 0.25 * 0.75) + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))) ** 2
        / (p1 - p0) ** 2
    )
    assert rows[0]["n_arm"] == need


def test_feature_read_in_other_units_drifts(tmp_path):
    """An export that now gives years in months: today's rebuild of the training rows moves
    with it, so only the reference frozen at training can show the drift. And one that lost a
    column: the build warns, naming the feature no lead has any more."""
    raw = tmp_path / "raw"
    shutil.copytree(settings.DEFAULT_SAMPLE_DIR, raw)
    leads = pd.read_csv(raw / "leads.csv", dtype=str, keep_default_na=False)
    for column in ("years_experience", "years_in_role"):
        months = pd.to_numeric(leads[column], errors="coerce") * 12
        leads[column] = months.map(lambda m: "" if pd.isna(m) else f"{m:g}")
    leads["followers"] = ""
    leads.to_csv(raw / "leads.csv", index=False)
    project = DbtProject(tmp_path)
    result = project.dbt(
        "build",
        *part_of("+feature_drift", "+lead_training_set"),
        vars={"raw_data_path": str(raw)},
    )
    drift = project.df("select * from feature_drift").set_index("feature")
    assert drift.loc["years_experience", "drift_status"] == "major drift"
    assert drift.loc["years_in_role", "drift_status"] == "major drift"
    assert drift.loc["log_followers", "drift_status"] == "major drift"
    assert "WARN 1 monitoring_feature_missing_for_every_lead" in result.stdout
    test_sql = project.compiled_test_sql("monitoring_feature_missing_for_every_lead")
    missing = project.query(f"select feature, leads_scored from ({test_sql}) as t")
    assert missing == [("log_followers", 1303)]
    # against today's rebuild of the training rows the move would not show
    rebuilt = project.df("select years_experience from lead_training_set").years_experience
    now = project.df("select years_experience from lead_features").years_experience
    assert _psi(rebuilt.astype(float), now.astype(float))[1] < 0.1
