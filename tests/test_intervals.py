"""intervals.py: percentile bootstrap of top-K precision (tie rule, duplicates, K > n)."""

import numpy as np
import pandas as pd
import pytest

from leadscore import intervals, metrics

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def test_bootstrap_counts_match_a_brute_force_resample():
    rng = np.random.default_rng(0)
    y = (rng.random(50) < 0.4).astype(float)
    fast = intervals.bootstrap_topk_hits(y, [5, 20], n_boot=3000, seed=1)
    slow = {5: [], 20: []}
    for _ in range(3000):
        idx = np.sort(rng.integers(0, 50, 50))  # ranking order = row order
        for k in slow:
            slow[k].append(y[idx[:k]].sum())
    for k in slow:
        assert fast[k].mean() == pytest.approx(np.mean(slow[k]), abs=0.1)
        assert fast[k].std() == pytest.approx(np.std(slow[k]), rel=0.1)
        assert fast[k].min() >= 0 and fast[k].max() <= k


def test_bootstrap_counts_are_exact_on_a_pool_much_larger_than_k():
    """Only the best-ranked rows that can be in a top K are summed: the same hits as taking
    the first K draws of each resample in full (same seed, same multinomial draws)."""
    n, n_boot, ks = 3000, 300, [1, 10, 100]
    y = (np.random.default_rng(3).random(n) < 0.3).astype(float)
    hits = intervals.bootstrap_topk_hits(y, ks, n_boot=n_boot, seed=4)
    counts = np.random.default_rng(4).multinomial(n, np.full(n, 1.0 / n), size=n_boot)
    for k in ks:
        first_k = [y[np.repeat(np.arange(n), row)[:k]].sum() for row in counts]
        np.testing.assert_array_equal(hits[k], first_k)


def test_precision_at_k_bootstrap_rows():
    rng = np.random.default_rng(2)
    n = 303
    df = pd.DataFrame(
        {
            "lead_id": [f"l{i:04d}" for i in range(n)],
            "contact_id": [f"c{i:04d}" for i in range(n)],
            "score": rng.random(n),
        }
    )
    df["label"] = (rng.random(n) < 0.2 + 0.5 * df["score"]).astype(int)
    rows = intervals.precision_at_k_bootstrap(df, [10, 50, 400], seed=3)
    ref = metrics.precision_at_k(df, [10, 50, 400])
    for r, q in zip(rows, ref, strict=True):
        assert {k: r[k] for k in q} == q  # the point estimate is the product's
        assert r["boot_low"] <= r["precision"] <= r["boot_high"]
        assert r["low"] == min(r["ci_low"], r["boot_low"]) and r["high"] == max(
            r["ci_high"], r["boot_high"]
        )
    assert rows[2]["n"] == n and rows[2]["boot_high"] - rows[2]["boot_low"] < 0.15
    wilson10 = rows[0]["ci_high"] - rows[0]["ci_low"]
    assert 0.5 * wilson10 < rows[0]["boot_high"] - rows[0]["boot_low"] < 1.5 * wilson10
    again = intervals.precision_at_k_bootstrap(df, [10, 50, 400], seed=3)
    assert again == rows  # seeded: reproducible
