"""How many labels are enough? A paired learning curve on the cross-validation folds.

For every fold of the product's cross-validation (make_folds), the booster is refitted on a
random share (25 / 50 / 75 / 100 %) of that fold's TRAINING rows (sampled by lead, stratified
by label) and scores the same held-out fold. So every training size is evaluated on the SAME
out-of-fold rows (all labelled rows) and the sizes are compared pairwise, not across different
test sets. Sub-samples are drawn `repeats` times (100 % needs one); the metrics are averaged.

Reading (the rule, in words): the gain = CV AUC at the full training size - CV AUC at half of
it (what the last doubling of the labels bought), with a 90% paired-bootstrap interval.
"flat" when even the interval's upper end is below MIN_USEFUL_GAIN (0.02 AUC); otherwise
"more labels are still improving the model" when the interval's lower end is above 0;
otherwise "unclear".

Pure functions (numpy / pandas / xgboost via leadscore.train); no I/O.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadscore import metrics
from leadscore.modelling import booster_margin, fit_booster, make_folds

FRACTIONS = (0.25, 0.5, 0.75, 1.0)
MIN_USEFUL_GAIN = 0.02
BOOTSTRAP = 300


def subsample_rows(y, groups, fraction: float, rng) -> np.ndarray:
    """Boolean mask of about `fraction` of the rows: whole leads (groups), drawn separately
    among leads with and without a positive row (keeps the base rate)."""
    y = np.asarray(y)
    groups = np.asarray(groups).astype(str)
    if fraction >= 1.0:
        return np.ones(len(y), dtype=bool)
    lead_pos = pd.Series(y).groupby(groups).max()
    keep = []
    for cls in (0, 1):
        leads = lead_pos.index[lead_pos.to_numpy() == cls].to_numpy()
        n = max(1, round(float(fraction) * len(leads))) if len(leads) else 0
        keep.extend(rng.choice(leads, size=n, replace=False))
    return np.isin(groups, keep)


def curve_margins(
    X: pd.DataFrame, y, groups, seed: int, fractions=FRACTIONS, repeats: int = 3, n_folds: int = 5
) -> dict:
    """{fraction: array (repeats_used, n_rows) of out-of-fold margins} on the product's folds;
    out["train_rows"] = {fraction: mean training rows per fitted booster}."""
    y = np.asarray(y)
    fold = make_folds(y, n_folds, seed, groups)
    groups = np.asarray(groups).astype(str)
    out, sizes = {}, {}
    for i, frac in enumerate(fractions):
        reps = 1 if frac >= 1.0 else repeats
        m, used = np.zeros((reps, len(y))), []
        for r in range(reps):
            rng = np.random.default_rng([seed, i, r])
            for f in range(n_folds):
                tr = np.flatnonzero(fold != f)
                te = fold == f
                sub = tr[subsample_rows(y[tr], groups[tr], frac, rng)]
                used.append(len(sub))
                b = fit_booster(X.iloc[sub], y[sub], seed)
                m[r, te] = booster_margin(b, X[te])
        out[float(frac)], sizes[float(frac)] = m, float(np.mean(used))
    out["train_rows"] = sizes
    return out


def _auc_ci(auc: float, n_pos: int, n_neg: int, z: float = metrics.Z95) -> tuple[float, float]:
    """Hanley & McNeil (1982) normal interval for an AUC."""
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)) / (
        n_pos * n_neg
    )
    half = z * math.sqrt(max(var, 0.0))
    return max(0.0, auc - half), min(1.0, auc + half)


def curve_table(margins: dict, y, lead_ids, contact_ids, k: int) -> list[dict]:
    """Per fraction: training rows per fold, P@K (hits averaged over repeats; Wilson 95%) and
    AUC (averaged over repeats; Hanley-McNeil 95%)."""
    y = np.asarray(y)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    rows = []
    for frac, m in margins.items():
        if frac == "train_rows":
            continue
        hits, aucs = [], []
        for rep in m:
            df = pd.DataFrame(
                {"lead_id": lead_ids, "contact_id": contact_ids, "score": rep, "label": y}
            )
            hits.append(metrics.precision_at_k(df, [k])[0]["hits"])
            aucs.append(metrics.roc_auc(y, rep))
        n = min(k, len(y))
        h, auc = float(np.mean(hits)), float(np.mean(aucs))
        lo, hi = metrics.wilson_interval(h, n)
        alo, ahi = _auc_ci(auc, n_pos, n_neg)
        rows.append(
            {
                "fraction": frac,
                "train_rows": margins["train_rows"][frac],
                "k": k,
                "precision": h / n,
                "ci_low": lo,
                "ci_high": hi,
                "roc_auc": auc,
                "auc_ci_low": alo,
                "auc_ci_high": ahi,
            }
        )
    return rows


def auc_gain_interval(
    margins: dict,
    y,
    groups,
    seed: int,
    small: float = 0.5,
    big: float = 1.0,
    n_boot: int = BOOTSTRAP,
    level: float = 0.90,
) -> dict:
    """AUC(big) - AUC(small) (AUC averaged over repeats) and its paired bootstrap interval
    (evaluation rows resampled by lead)."""
    y = np.asarray(y)
    groups = np.asarray(groups).astype(str)
    ms, mb = margins[float(small)], margins[float(big)]

    def gain(idx):
        return np.mean([metrics.roc_auc(y[idx], r[idx]) for r in mb]) - np.mean(
            [metrics.roc_auc(y[idx], r[idx]) for r in ms]
        )

    leads, inv = np.unique(groups, return_inverse=True)
    rows_of = [np.flatnonzero(inv == i) for i in range(len(leads))]
    rng = np.random.default_rng([seed, 2024])
    boots = []
    for _ in range(n_boot):
        idx = np.concatenate([rows_of[i] for i in rng.integers(0, len(leads), len(leads))])
        if 0 < y[idx].sum() < len(idx):
            boots.append(gain(idx))
    a = (1 - level) / 2
    return {
        "small": small,
        "big": big,
        "gain": float(gain(np.arange(len(y)))),
        "low": float(np.quantile(boots, a)),
        "high": float(np.quantile(boots, 1 - a)),
        "level": level,
    }


def reading(gain: dict, min_useful: float = MIN_USEFUL_GAIN) -> str:
    """Plain words for an auc_gain_interval result (rule in the module docstring)."""
    if gain["high"] < min_useful:
        return "flat: more labels are unlikely to improve the model much"
    if gain["low"] > 0:
        return "more labels are still improving the model"
    return "unclear: the curve is too noisy to tell whether more labels would help"


def learning_curve(
    X: pd.DataFrame,
    y,
    groups,
    lead_ids,
    contact_ids,
    seed: int,
    k: int = 50,
    fractions=FRACTIONS,
    repeats: int = 3,
) -> dict:
    """The whole learning curve: {"table": curve_table rows, "gain": auc_gain_interval,
    "reading": str, "rule": str}."""
    margins = curve_margins(X, y, groups, seed, fractions, repeats)
    table = curve_table(margins, y, lead_ids, contact_ids, k)
    gain = auc_gain_interval(margins, y, groups, seed)
    rule = (
        f"gain = CV AUC(100% of the rows) - CV AUC(50%), 90% paired-bootstrap interval: flat "
        f"if the interval is entirely below {MIN_USEFUL_GAIN}; else improving if it is "
        f"entirely above 0; else unclear"
    )
    return {"table": table, "gain": gain, "reading": reading(gain), "rule": rule}
