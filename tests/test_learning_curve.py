"""learning_curve.py: paired learning curve on the CV folds and its plain-words reading."""

import numpy as np
import pandas as pd
import pytest

from leadscore import learning_curve as lc

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _data(n, seed, nonlinear=True):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 6)), columns=[f"x{i}" for i in range(6)])
    z = (
        (1.2 * np.sin(2 * X["x0"]) + X["x1"] * X["x2"] + 0.8 * X["x3"])
        if nonlinear
        else 2.5 * X["x0"]
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int).to_numpy()
    ids = np.array([f"l{i:05d}" for i in range(n)])
    return X, y, ids


def test_subsample_rows_keeps_leads_whole_and_base_rate():
    rng = np.random.default_rng(0)
    y = np.array([1, 1, 0, 0, 0, 0, 1, 0] * 25)
    groups = np.array([f"l{i // 2}" for i in range(len(y))])
    mask = lc.subsample_rows(y, groups, 0.5, rng)
    assert pd.Series(mask).groupby(groups).nunique().max() == 1  # whole leads only
    assert 0.4 < mask.mean() < 0.6
    assert lc.subsample_rows(y, groups, 1.0, rng).all()


def test_curve_table_shapes_and_intervals():
    X, y, ids = _data(300, 1)
    res = lc.learning_curve(X, y, ids, ids, ids, seed=42, k=50, repeats=2)
    t = res["table"]
    assert [r["fraction"] for r in t] == [0.25, 0.5, 0.75, 1.0]
    sizes = [r["train_rows"] for r in t]
    assert sizes == sorted(sizes) and sizes[-1] == pytest.approx(240, abs=2)
    for r in t:
        assert r["ci_low"] <= r["precision"] <= r["ci_high"]
        assert r["auc_ci_low"] <= r["roc_auc"] <= r["auc_ci_high"]
    g = res["gain"]
    assert g["low"] <= g["gain"] <= g["high"]
    assert res["reading"] == lc.reading(g) and "90%" in res["rule"]


def test_reading_rule():
    assert lc.reading({"low": 0.001, "high": 0.09}).startswith("more labels are still improving")
    assert lc.reading({"low": -0.02, "high": 0.015}).startswith("flat")
    assert lc.reading({"low": 0.001, "high": 0.015}).startswith("flat")  # real but too small
    assert lc.reading({"low": -0.01, "high": 0.05}).startswith("unclear")


def test_reads_improving_when_labels_are_scarce_and_flat_when_saturated():
    X, y, ids = _data(300, 2)
    assert lc.learning_curve(X, y, ids, ids, ids, seed=42)["reading"].startswith("more labels")
    X, y, ids = _data(2000, 3, nonlinear=False)
    assert lc.learning_curve(X, y, ids, ids, ids, seed=42, repeats=1)["reading"].startswith("flat")
