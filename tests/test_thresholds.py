"""thresholds.py: threshold rules on observed hits and on calibrated scores."""

import numpy as np
import pandas as pd
import pytest

from leadscore import calibration as cal
from leadscore import metrics, thresholds

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _oof(n=300, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.normal(0, 1.2, n)
    y = (rng.random(n) < cal.sigmoid(m - 0.4)).astype(int)
    return m, y


def test_observed_rule_z0_matches_product_plain_rule():
    m, y = _oof()
    s = cal.sigmoid(m)
    df = pd.DataFrame({"lead_id": [f"l{i:04d}" for i in range(len(y))], "score": s, "label": y})
    for target in (0.6, 0.65, 0.8, 0.99):
        for z, conservative in ((0.0, False), (metrics.Z95, True)):
            mine = thresholds.threshold_observed(s, y, target, z)
            ref = metrics.threshold_for_target(df, target, conservative=conservative)
            assert mine["reached"] == ref["reached"]
            assert mine["score"] == pytest.approx(ref["score"])
            assert mine["selected"] == ref["contacts_selected"]


def test_higher_z_is_more_cautious():
    m, y = _oof(seed=3)
    s = cal.sigmoid(m)
    cuts = [thresholds.threshold_observed(s, y, 0.6, z) for z in (0.0, 0.84, 1.28)]
    reached = [c for c in cuts if c["reached"]]
    assert [c["score"] for c in reached] == sorted(c["score"] for c in reached)


def test_calibrated_rule_mean_and_lower_bound():
    m, y = _oof()
    a, b = cal.fit_platt_margin(m, y)
    cov = cal.platt_covariance(m, a, b)
    plain = thresholds.threshold_calibrated(m, a, b, 0.65)
    assert plain["reached"]
    p = cal.apply_platt(m, a, b)
    sel = p >= plain["score"]
    assert sel.sum() == plain["selected"] >= 10
    assert p[sel].mean() >= 0.65 > p[p >= np.sort(p[~sel])[-1]].mean()  # the lowest such cut-off
    lcb = thresholds.threshold_calibrated(m, a, b, 0.65, cov, thresholds.ONE_SIDED_Z[0.9])
    assert lcb["reached"] and lcb["score"] > plain["score"]
    ep, se = thresholds.selection_expected_precision(m[p >= lcb["score"]], a, b, cov)
    assert ep - thresholds.ONE_SIDED_Z[0.9] * se >= 0.65 - 1e-12
    assert lcb["expected_precision"] == pytest.approx(ep) and lcb["se"] == pytest.approx(se)


def test_unreachable_target_returns_best_cutoff():
    m, y = _oof()
    a, b = cal.fit_platt_margin(m, y)
    t = thresholds.threshold_calibrated(m, a, b, 0.999)
    assert not t["reached"] and t["selected"] >= 10
    o = thresholds.threshold_observed(cal.sigmoid(m), y, 1.01)
    assert not o["reached"] and o["selected"] >= 10
