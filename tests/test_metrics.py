"""metrics.py: the statistics every report uses (checked against hand-computed values)."""

import math

import numpy as np
import pandas as pd
import pytest

from leadscore import metrics

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def test_wilson_known_values():
    lo, hi = metrics.wilson_interval(8, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)
    lo, hi = metrics.wilson_interval(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    lo, hi = metrics.wilson_interval(10, 10)
    assert round(lo, 4) == 0.7225 and hi == pytest.approx(1.0)
    assert metrics.wilson_interval(0, 0) == (0.0, 1.0)


def test_wilson_matches_closed_form():
    z = 1.959963984540054
    for hits, n in [(1, 3), (37, 120), (500, 1000)]:
        p = hits / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        assert metrics.wilson_interval(hits, n) == pytest.approx((centre - half, centre + half))


def _frame():
    # scores with ties; the tie rule decides which tied rows enter the top K
    return pd.DataFrame(
        {
            "lead_id": ["b", "a", "c", "c", "d", "e", "f", "g"],
            "contact_id": ["1", "2", "4", "3", "5", "6", "7", "8"],
            "score": [0.9, 0.9, 0.8, 0.8, 0.5, 0.4, 0.3, 0.1],
            "label": [0, 1, 1, 0, 1, 0, 0, 0],
        }
    )


def test_precision_at_k_tie_rule_and_k_above_n():
    rows = metrics.precision_at_k(_frame(), [1, 3, 20])
    # order: (0.9,a,2)=1, (0.9,b,1)=0, (0.8,c,3)=0, (0.8,c,4)=1, ...
    assert rows[0] == pytest.approx(
        {
            "k": 1,
            "n": 1,
            "hits": 1,
            "precision": 1.0,
            "ci_low": metrics.wilson_interval(1, 1)[0],
            "ci_high": 1.0,
            "lift": 1.0 / (3 / 8),
            "min_score": 0.9,
        }
    )
    assert (rows[1]["hits"], rows[1]["n"], rows[1]["min_score"]) == (1, 3, 0.8)
    assert (rows[2]["k"], rows[2]["n"], rows[2]["hits"]) == (20, 8, 3)
    assert rows[2]["lift"] == pytest.approx(1.0)


def test_precision_at_fractions_uses_ceil():
    df = pd.DataFrame(
        {
            "lead_id": [f"l{i:03d}" for i in range(101)],
            "score": np.linspace(1, 0, 101),
            "label": [1] * 50 + [0] * 51,
        }
    )
    rows = metrics.precision_at_fractions(df, [0.01, 0.05, 0.10, 0.20])
    assert [r["n"] for r in rows] == [2, 6, 11, 21]  # ceil(f * 101)
    assert all(r["precision"] == 1.0 for r in rows)


def test_roc_auc_with_ties_and_brier():
    y = [0, 0, 1, 1]
    assert metrics.roc_auc(y, [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    assert metrics.roc_auc(y, [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.5)
    assert metrics.roc_auc([1, 1], [0.2, 0.3]) is None
    assert metrics.brier([0, 1], [0.2, 0.6]) == pytest.approx((0.04 + 0.16) / 2)
    assert metrics.lift(0.5, 0.25) == 2.0 and metrics.lift(0.5, 0) is None


def test_calibration_table_equal_count_bands():
    df = pd.DataFrame(
        {
            "lead_id": [f"l{i:02d}" for i in range(25)],
            "score": np.linspace(0.99, 0.01, 25),
            "label": [1] * 5 + [0] * 20,
        }
    )
    table = metrics.calibration_table(df, n_bands=10)
    assert [b["n"] for b in table] == [3] * 5 + [2] * 5
    assert table[0]["band"] == 1 and table[0]["observed_rate"] == 1.0
    assert table[0]["score_max"] == pytest.approx(0.99)
    assert sum(b["hits"] for b in table) == 5


def test_threshold_lowest_cutoff_reaching_target_ties_together():
    df = pd.DataFrame(
        {
            "lead_id": list("abcdefghij"),
            "score": [0.9, 0.8, 0.7, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1],
            "label": [1, 1, 1, 0, 1, 0, 1, 0, 0, 0],
        }
    )
    t = metrics.threshold_for_target(df, 0.7, min_n=1)
    # cut-offs: .9 1/1, .8 2/2, .7 3/4 (tie taken together), .6 4/5=.8, .5 4/6, .4 5/7=.714, .3 5/8
    assert t["reached"] and t["score"] == 0.4
    assert (t["leads_selected"], t["hits"]) == (7, 5)
    assert t["contacts_selected"] == 7  # rows = contacts; leads_selected is its historical name
    assert t["share_selected"] == pytest.approx(0.7)
    assert t["expected_responses"] == pytest.approx(sum([0.9, 0.8, 0.7, 0.7, 0.6, 0.5, 0.4]))
    # conservative: Wilson lower bound >= 0.7 is impossible with 10 rows -> best by lower bound
    c = metrics.threshold_for_target(df, 0.7, conservative=True, min_n=3)
    assert not c["reached"]
    assert c["leads_selected"] >= 3
    best = max(
        metrics.wilson_interval(h, n)[0]
        for h, n in [(3, 4), (4, 5), (4, 6), (5, 7), (5, 8), (5, 9), (5, 10)]
    )
    assert c["ci_low"] == pytest.approx(best)


def test_threshold_not_reached_min_n_guard():
    df = pd.DataFrame(
        {
            "lead_id": [f"l{i:02d}" for i in range(30)],
            "score": np.linspace(1, 0, 30),
            "label": [1] + [0] * 29,
        }
    )
    t = metrics.threshold_for_target(df, 0.65, min_n=10)
    assert not t["reached"]
    assert t["leads_selected"] == 10  # best precision among selections of >= 10 rows
    # the min-n guard also applies when the target is reached: only the top row (1/1) reaches 65%
    small = metrics.threshold_for_target(df.iloc[:20], 0.65, min_n=1)
    assert small["reached"] and small["leads_selected"] == 1
