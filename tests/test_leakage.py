"""leakage.py: gain shares, prefix groups, drop-column lifts and the refusal rule."""

import numpy as np
import pandas as pd
import pytest

from leadscore import ensemble, leakage
from leadscore.modelling import make_folds

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _data(n=300, seed=0, leak=None):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "seniority_rank": rng.normal(size=n),
            "mutual_connections": rng.normal(size=n),
            "email_opens": rng.poisson(2, n).astype(float),
            "email_clicks": rng.poisson(1, n).astype(float),
            "noise": rng.normal(size=n),
        }
    )
    z = -0.4 + 0.8 * X["seniority_rank"] + 0.5 * X["mutual_connections"] + 0.3 * X["email_clicks"]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int).to_numpy()
    if leak == "moderate":
        X["post_contact_engagement"] = rng.normal(size=n) + 1.19 * y
    if leak == "spread":
        status = np.where(
            y == 1,
            rng.choice(["meeting", "replied", "opened"], n, p=[0.35, 0.35, 0.3]),
            rng.choice(["opened", "no_open", "bounced"], n, p=[0.4, 0.35, 0.25]),
        )
        for level in ("meeting", "replied", "opened", "no_open", "bounced"):
            X[f"status_{level}"] = (status == level).astype(float)
    return X, y


def _report(X, y, **kw):
    ids = np.array([f"l{i}" for i in range(len(y))])
    fold = make_folds(y, 5, 42, ids)
    cf = ensemble.cross_fit(X, y, [fold], 42)
    return leakage.leakage_report(X, y, fold, 42, cf.all_boosters, cf.oof_margin, **kw)


def test_prefix_groups_and_screening():
    names = ["status_a", "status_b", "connections", "connections_capped", "noise"]
    groups = leakage.prefix_groups(names, sources={"crm": ["noise", "unknown"]})
    assert groups == {
        "status_*": ["status_a", "status_b"],
        "connections_*": ["connections", "connections_capped"],
        "source:crm": ["noise"],
    }
    shares = {
        "status_a": 0.06,
        "status_b": 0.05,
        "connections": 0.5,
        "connections_capped": 0.0,
        "noise": 0.39,
    }
    cands = leakage.screen_candidates(shares, groups, feature_share=0.3, group_share=0.1)
    assert set(cands) == {"connections", "noise", "status_*", "connections_*", "source:crm"}


def test_gain_shares_sum_to_one():
    X, y = _data()
    ids = np.array([f"l{i}" for i in range(len(y))])
    cf = ensemble.cross_fit(X, y, [make_folds(y, 5, 42, ids)], 42)
    shares = leakage.gain_shares(cf.all_boosters, list(X.columns))
    assert set(shares) == set(X.columns) and sum(shares.values()) == pytest.approx(1.0)
    assert next(iter(shares)) == "seniority_rank"


def test_clean_data_is_not_refused():
    X, y = _data()
    rep = _report(X, y)
    assert rep["refused"] == {}
    assert all(v["lift"] < leakage.MAX_LIFT for v in rep["lifts"].values())


@pytest.mark.parametrize(
    ("leak", "name"), [("moderate", "post_contact_engagement"), ("spread", "status_*")]
)
def test_planted_leaks_are_refused_unless_allowed(leak, name):
    X, y = _data(leak=leak)
    rep = _report(X, y)
    assert name in rep["refused"], rep["lifts"]
    assert rep["refused"][name]["lift"] > leakage.MAX_LIFT
    allowed = _report(X, y, allowed=[name])
    assert name not in allowed["refused"] and name in allowed["allowed"]


def test_refusal_rule():
    assert leakage.is_suspicious({"lift": 0.13, "auc_alone": 0.55})  # big lift alone
    assert not leakage.is_suspicious({"lift": 0.11, "auc_alone": 0.55})
    assert leakage.is_suspicious({"lift": 0.06, "auc_alone": 0.75})  # moderate + strong alone
    assert not leakage.is_suspicious({"lift": 0.06, "auc_alone": 0.65})  # a strong real signal
    assert not leakage.is_suspicious(
        {"lift": 0.04, "auc_alone": 0.95}
    )  # the model does not need it
