"""The modelling primitives every training step shares: folds, one booster, its margin, Platt.

`leadscore train` (train.py), the cross-fitted ensemble (ensemble.py), the learning curve,
the leakage guard and the benchmarks all fit and score boosters through these functions, so
"the product's model" means one thing everywhere. Pure functions; no I/O.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadscore import metrics

# Fixed small-data defaults (no search). nthread is fixed so the booster is byte-reproducible.
XGB_PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "tree_method": "hist",
    "max_depth": 3,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 2,
    "nthread": 1,
}
N_ESTIMATORS = 200
FOLD_GROUPING = "lead_id"

# --search: a deliberately small grid (12 settings); the rest of XGB_PARAMS stays fixed.
SEARCH_GRID = [
    {"max_depth": d, "learning_rate": lr, "min_child_weight": m}
    for d in (2, 3, 4)
    for lr in (0.03, 0.1)
    for m in (1, 5)
]
INNER_FOLDS = 3


def make_folds(y: np.ndarray, n_folds: int, seed: int, groups) -> np.ndarray:
    """Fold number (0..n_folds-1) per row, stratified on y and grouped: all rows of one group
    (lead_id) share a fold. Deterministic given the seed and the row order (canonical order:
    sorted by contact_id). Needs at least n_folds distinct groups.

    When every lead has a single contact, grouping changes nothing and plain StratifiedKFold
    is used (the same folds as before grouping existed, so published numbers stay
    comparable); otherwise StratifiedGroupKFold."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    groups = np.asarray(groups).astype(str)
    fold = np.empty(len(y), dtype=int)
    if len(np.unique(groups)) == len(groups):
        splits = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(
            np.zeros(len(y)), y
        )
    else:
        splits = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(
            np.zeros(len(y)), y, groups
        )
    for i, (_, test) in enumerate(splits):
        fold[test] = i
    return fold


def fold_class_counts(y: np.ndarray, fold: np.ndarray, n_folds: int) -> list[dict]:
    """Rows, positives and negatives of each held-out fold (fold numbers 1..n_folds)."""
    return [
        {
            "fold": f + 1,
            "rows": int((fold == f).sum()),
            "positives": int(y[fold == f].sum()),
            "negatives": int((fold == f).sum() - y[fold == f].sum()),
        }
        for f in range(n_folds)
    ]


def xgb_params(seed: int, overrides: dict | None = None) -> dict:
    return {**XGB_PARAMS, **(overrides or {}), "seed": int(seed)}


def fit_booster(X: pd.DataFrame, y: np.ndarray, seed: int, overrides: dict | None = None):
    import xgboost as xgb

    # Feature names go on the booster after training: a named DMatrix makes XGBoost re-read and
    # compare every name on each of the 200 rounds (~a quarter of a fit's CPU), and the saved
    # booster is byte-identical either way (tests/test_train.py).
    dtrain = xgb.DMatrix(
        X.to_numpy(dtype=float), label=y, missing=np.nan, nthread=XGB_PARAMS["nthread"]
    )
    booster = xgb.train(xgb_params(seed, overrides), dtrain, num_boost_round=N_ESTIMATORS)
    booster.feature_names = list(X.columns)
    return booster


def booster_margin(booster, X: pd.DataFrame) -> np.ndarray:
    """One booster's margin (log-odds, base score included) per row, exactly as the deployed
    scorer computes it (float32 input, inplace_predict)."""
    x = X.to_numpy(dtype=np.float32)
    return booster.inplace_predict(x, predict_type="margin", missing=np.nan).astype(np.float64)


def sigmoid(z) -> np.ndarray:
    z = np.clip(np.asarray(z, dtype=float), -30.0, 30.0)
    return 1.0 / (1.0 + np.exp(-z))


def fit_platt(margin: np.ndarray, y: np.ndarray, iters: int = 100) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of p = sigmoid(a * margin + b) by Newton's method."""
    x = np.asarray(margin, dtype=float)
    y = np.asarray(y, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(iters):
        p = sigmoid(a * x + b)
        w = np.maximum(p * (1 - p), 1e-12)
        g = np.array([np.sum((p - y) * x), np.sum(p - y)])
        h = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        step = np.linalg.solve(h + np.eye(2) * 1e-9, g)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(a), float(b)


def select_params(X: pd.DataFrame, y: np.ndarray, seed: int, groups) -> tuple[dict, float]:
    """Grid setting with the lowest inner 3-fold CV log loss on (X, y) (first one on a tie);
    the inner folds are grouped by lead too."""
    inner = make_folds(y, INNER_FOLDS, seed, groups)
    best, best_loss = None, math.inf
    for overrides in SEARCH_GRID:
        pred = np.zeros(len(y))
        for f in range(INNER_FOLDS):
            tr, te = inner != f, inner == f
            pred[te] = sigmoid(booster_margin(fit_booster(X[tr], y[tr], seed, overrides), X[te]))
        loss = metrics.log_loss(y, pred)
        if loss < best_loss - 1e-12:
            best, best_loss = overrides, loss
    return best, best_loss
