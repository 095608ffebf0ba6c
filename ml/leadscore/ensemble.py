"""Cross-fitted fold-model ensembles: "deploy what you validated".

The cross-validation fold boosters are kept and deployed together. A lead's deployed margin
(log-odds) is the MEAN of the fold boosters' margins; the SQL scorer can implement exactly
that (sum of each booster's trees + its base margin, divided by the number of boosters).

With repeated cross-validation (R fold assignments, seeds seed, seed+1, ...), every row has
R out-of-fold margins, one per repetition, from boosters that never saw it; its out-of-fold
margin is their mean. The deployed ensemble averages all R x n_folds boosters.

Pure functions (numpy / pandas / xgboost); the fitting and fold helpers are the product's
own (leadscore.train.make_folds / fit_booster / XGB_PARAMS), imported, not copied.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadscore.train import XGB_PARAMS, fit_booster, make_folds


def booster_margin(booster, X: pd.DataFrame) -> np.ndarray:
    """One booster's margin (log-odds, base margin included) for the rows of X."""
    import xgboost as xgb

    d = xgb.DMatrix(X.to_numpy(dtype=float), feature_names=list(X.columns), missing=np.nan,
                    nthread=XGB_PARAMS["nthread"])
    return booster.predict(d, output_margin=True).astype(float)


def ensemble_margin(boosters, X: pd.DataFrame) -> np.ndarray:
    """Deployed margin: the mean over boosters of each booster's margin."""
    if not boosters:
        raise ValueError("ensemble_margin needs at least one booster")
    return np.mean([booster_margin(b, X) for b in boosters], axis=0)


def repeated_folds(y: np.ndarray, n_folds: int, seed: int, groups, repeats: int = 1) -> list:
    """Fold assignments of `repeats` cross-validations (make_folds with seed, seed+1, ...).
    The first is exactly the product's single cross-validation."""
    return [make_folds(y, n_folds, seed + r, groups) for r in range(repeats)]


@dataclass
class CrossFit:
    """Result of cross_fit: boosters[r][f] was trained without the rows of folds[r] == f."""

    boosters: list
    folds: list
    oof_margin: np.ndarray
    oof_margin_by_repeat: np.ndarray = field(repr=False)

    @property
    def all_boosters(self) -> list:
        return [b for rep in self.boosters for b in rep]


def cross_fit(X: pd.DataFrame, y: np.ndarray, folds: list, seed: int,
              overrides: dict | None = None) -> CrossFit:
    """Fit one booster per (repetition, fold) on the other folds' rows; out-of-fold margins.

    folds: list of fold-number arrays (repeated_folds). Every booster uses the product's
    fit_booster with the same seed (byte-reproducible). oof_margin = mean over repetitions.
    """
    y = np.asarray(y)
    by_rep, boosters = np.zeros((len(folds), len(y))), []
    for r, fold in enumerate(folds):
        rep = []
        for f in np.unique(fold):
            tr, te = fold != f, fold == f
            b = fit_booster(X[tr], y[tr], seed, overrides)
            by_rep[r, te] = booster_margin(b, X[te])
            rep.append(b)
        boosters.append(rep)
    return CrossFit(boosters=boosters, folds=list(folds), oof_margin=by_rep.mean(axis=0),
                    oof_margin_by_repeat=by_rep)


def margin_spread(boosters, X: pd.DataFrame) -> np.ndarray:
    """Per row, the standard deviation of the boosters' margins (model disagreement)."""
    return np.std([booster_margin(b, X) for b in boosters], axis=0, ddof=1)


RECOMMENDED_REPEATS = 5


def fit_cross_fitted_ensemble(X: pd.DataFrame, y, groups, seed: int, n_folds: int = 5,
                              repeats: int = RECOMMENDED_REPEATS,
                              overrides: dict | None = None) -> CrossFit:
    """The recommended deployed model: `repeats` x n_folds cross-fitted boosters (5 x 5 = 25);
    deploy ensemble_margin(result.all_boosters, X); calibrate on result.oof_margin."""
    return cross_fit(X, y, repeated_folds(np.asarray(y), n_folds, seed, groups, repeats), seed,
                     overrides)
