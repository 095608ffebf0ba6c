"""Cross-fitted fold-model ensembles: "deploy what you validated".

The cross-validation fold boosters are kept and deployed together. A lead's deployed margin
(log-odds) is the MEAN of the fold boosters' margins; the SQL scorer can implement exactly
that (sum of each booster's trees + its base margin, divided by the number of boosters).

With repeated cross-validation (R fold assignments, seeds seed, seed+1, ...), every row has
R out-of-fold margins, one per repetition, from boosters that never saw it; its out-of-fold
margin is their mean. The deployed ensemble averages all R x n_folds boosters.

Pure functions (numpy / pandas / xgboost) over the product's modelling primitives
(leadscore.modelling).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadscore.modelling import booster_margin, fit_booster, make_folds, select_params


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
    params: list = field(default_factory=list)  # with search: the overrides of each booster

    @property
    def all_boosters(self) -> list:
        return [b for rep in self.boosters for b in rep]


def cross_fit(
    X: pd.DataFrame,
    y: np.ndarray,
    folds: list,
    seed: int,
    overrides: dict | None = None,
    search_groups=None,
    progress=None,
) -> CrossFit:
    """Fit one booster per (repetition, fold) on the other folds' rows; out-of-fold margins.

    folds: list of fold-number arrays (repeated_folds). Every booster uses the product's
    fit_booster with the same seed (byte-reproducible). oof_margin = mean over repetitions.
    search_groups (the rows' lead ids) turns on the nested grid search: each booster's
    parameters are chosen on its own training rows only, so its held-out rows stay unseen.
    """
    y = np.asarray(y)
    by_rep, boosters, params = np.zeros((len(folds), len(y))), [], []
    for r, fold in enumerate(folds):
        rep = []
        for f in np.unique(fold):
            tr, te = fold != f, fold == f
            chosen = overrides
            if search_groups is not None:
                chosen, loss = select_params(X[tr], y[tr], seed, np.asarray(search_groups)[tr])
                params.append({**chosen, "inner_log_loss": loss})
            b = fit_booster(X[tr], y[tr], seed, chosen)
            by_rep[r, te] = booster_margin(b, X[te])
            rep.append(b)
        boosters.append(rep)
        if progress:
            progress(f"cross-validation repeat {r + 1}/{len(folds)}: {len(rep)} fold boosters")
    return CrossFit(
        boosters=boosters,
        folds=list(folds),
        oof_margin=by_rep.mean(axis=0),
        oof_margin_by_repeat=by_rep,
        params=params,
    )


def margin_spread(boosters, X: pd.DataFrame) -> np.ndarray:
    """Per row, the standard deviation of the boosters' margins (model disagreement)."""
    return np.std([booster_margin(b, X) for b in boosters], axis=0, ddof=1)


RECOMMENDED_REPEATS = 5


def fit_cross_fitted_ensemble(
    X: pd.DataFrame,
    y,
    groups,
    seed: int,
    n_folds: int = 5,
    repeats: int = RECOMMENDED_REPEATS,
    search: bool = False,
    progress=None,
) -> CrossFit:
    """`repeats` x n_folds cross-fitted boosters (5 x 5 = 25) and their out-of-fold margins.
    `leadscore train` deploys the first repetition's n_folds boosters (result.boosters[0],
    mean margin) and calibrates on result.oof_margin."""
    return cross_fit(
        X,
        y,
        repeated_folds(np.asarray(y), n_folds, seed, groups, repeats),
        seed,
        search_groups=groups if search else None,
        progress=progress,
    )
