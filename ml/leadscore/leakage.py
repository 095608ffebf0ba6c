"""Leakage guard that sees more than one column: which features dominate the model, and
which feature or feature group alone lifts cross-validated AUC by a suspicious margin.

1. Gain shares: each feature's share of the total split gain of the cross-validation fold
   boosters (summed over boosters) -- "what the model leans on", reported for the model card.
2. Candidates: every single feature with a gain share >= SCREEN_FEATURE_SHARE, and every
   group of >= 2 features sharing a name prefix (text before the first "_", e.g. the one-hot
   columns status_replied / status_opened / ...) or an explicitly declared source, whose
   summed share is >= SCREEN_GROUP_SHARE. A feature that lifts CV AUC a lot is necessarily one
   the model uses a lot, so screening by gain keeps the cost to a few cross-validations.
3. Drop-column importance: for each candidate, the same cross-validation (same folds, same
   seed) without it; lift = CV AUC with everything - CV AUC without the candidate. Also the
   candidate's CV AUC ALONE (the same cross-validation on its features only).
4. Rule: refuse (unless explicitly allowed) a candidate whose lift exceeds MAX_LIFT, or whose
   lift exceeds MIN_LIFT while it predicts the label alone with CV AUC above ALONE_AUC (a
   pre-contact signal is rarely that strong on its own; a post-contact column usually is).

Pure functions (numpy / pandas / xgboost via leadscore.train); no I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadscore import metrics
from leadscore.modelling import booster_margin, fit_booster

# Margins chosen with benchmarks/leakage_bench.py on 303-contact samples of the generator:
# 1 false alarm in 100 clean samples (the strongest real feature, seniority_rank, reaches
# alone-AUC 0.73 / lift 0.11 in a lucky sample), all planted leaks refused (see its docstring).
MAX_LIFT = 0.12
MIN_LIFT = 0.05
ALONE_AUC = 0.72
SCREEN_FEATURE_SHARE = 0.06
SCREEN_GROUP_SHARE = 0.10


def gain_shares(boosters, feature_names) -> dict:
    """{feature: share of the total gain of all boosters} (features never split on: 0),
    sorted descending."""
    total = dict.fromkeys(feature_names, 0.0)
    for b in boosters:
        for name, gain in b.get_score(importance_type="total_gain").items():
            total[name] = total.get(name, 0.0) + float(gain)
    s = sum(total.values()) or 1.0
    return dict(sorted(((k, v / s) for k, v in total.items()), key=lambda kv: -kv[1]))


def prefix_groups(feature_names, sources: dict | None = None, min_size: int = 2) -> dict:
    """{group name: [features]}: features sharing the text before their first "_" (the whole
    name when it has none: connections + connections_capped), groups of at least min_size;
    plus explicitly declared sources ({source: [features]})."""
    groups: dict = {}
    for name in feature_names:
        groups.setdefault(name.split("_", 1)[0] + "_*", []).append(name)
    out = {g: cols for g, cols in groups.items() if len(cols) >= min_size}
    for src, cols in (sources or {}).items():
        out[f"source:{src}"] = [c for c in cols if c in feature_names]
    return out


def screen_candidates(
    shares: dict,
    groups: dict,
    feature_share: float = SCREEN_FEATURE_SHARE,
    group_share: float = SCREEN_GROUP_SHARE,
) -> dict:
    """{candidate name: [features]} to test by dropping them (see the module docstring)."""
    cands = {f: [f] for f, s in shares.items() if s >= feature_share}
    for g, cols in groups.items():
        if sum(shares.get(c, 0.0) for c in cols) >= group_share:
            cands[g] = list(cols)
    return cands


def cv_margins(X: pd.DataFrame, y, fold, seed: int, drop=()) -> np.ndarray:
    """Out-of-fold margins of the product's booster on the given folds, without `drop`."""
    y = np.asarray(y)
    cols = [c for c in X.columns if c not in set(drop)]
    out = np.zeros(len(y))
    for f in np.unique(fold):
        tr, te = fold != f, fold == f
        out[te] = booster_margin(fit_booster(X.loc[tr, cols], y[tr], seed), X.loc[te, cols])
    return out


def drop_column_lifts(
    X: pd.DataFrame, y, fold, seed: int, candidates: dict, base_margin=None
) -> dict:
    """{candidate: {"features", "auc_without", "lift", "auc_alone"}} plus {"_base": {"auc"}}.
    lift = CV AUC (all features) - CV AUC without the candidate's features; auc_alone = CV AUC
    of the booster on the candidate's features only (max(auc, 1 - auc))."""
    y = np.asarray(y)
    base = cv_margins(X, y, fold, seed) if base_margin is None else np.asarray(base_margin)
    auc_all = metrics.roc_auc(y, base)
    out = {"_base": {"auc": auc_all}}
    for name, cols in candidates.items():
        auc = metrics.roc_auc(y, cv_margins(X, y, fold, seed, drop=cols))
        alone = metrics.roc_auc(y, cv_margins(X[list(cols)], y, fold, seed))
        out[name] = {
            "features": list(cols),
            "auc_without": auc,
            "lift": auc_all - auc,
            "auc_alone": max(alone, 1.0 - alone),
        }
    return out


def is_suspicious(
    lift: dict, max_lift: float = MAX_LIFT, min_lift: float = MIN_LIFT, alone_auc: float = ALONE_AUC
) -> bool:
    """The refusal rule for one drop_column_lifts entry (see the module docstring)."""
    return lift["lift"] > max_lift or (lift["lift"] > min_lift and lift["auc_alone"] > alone_auc)


def leakage_report(
    X: pd.DataFrame,
    y,
    fold,
    seed: int,
    boosters,
    oof_margin=None,
    sources: dict | None = None,
    max_lift: float = MAX_LIFT,
    min_lift: float = MIN_LIFT,
    alone_auc: float = ALONE_AUC,
    allowed=(),
) -> dict:
    """Gain shares, drop-column lifts of the screened candidates and the verdict.

    boosters: the cross-validation fold boosters (all features); oof_margin: their out-of-fold
    margins on the same folds (recomputed when None). allowed: candidate or feature names the
    user explicitly allows (recorded, never refused). Returns {"gain_share", "candidates",
    "auc", "lifts", "refused", "allowed", "max_lift", "rule"}.
    """
    shares = gain_shares(boosters, list(X.columns))
    cands = screen_candidates(shares, prefix_groups(list(X.columns), sources))
    lifts = drop_column_lifts(X, y, fold, seed, cands, oof_margin)
    base = lifts.pop("_base")["auc"]
    over = {
        k: v
        for k, v in sorted(lifts.items(), key=lambda kv: -kv[1]["lift"])
        if is_suspicious(v, max_lift, min_lift, alone_auc)
    }
    ok = set(allowed)
    refused = {k: v for k, v in over.items() if k not in ok and not set(v["features"]) <= ok}
    return {
        "gain_share": shares,
        "candidates": cands,
        "auc": base,
        "lifts": lifts,
        "refused": refused,
        "allowed": {k: v for k, v in over.items() if k not in refused},
        "max_lift": max_lift,
        "min_lift": min_lift,
        "alone_auc": alone_auc,
        "rule": (
            f"refuse a feature, or a group of features sharing a name prefix or source, "
            f"whose removal lowers CV AUC by more than {max_lift}, or by more than "
            f"{min_lift} while it reaches CV AUC {alone_auc} alone (drop-column "
            f"importance; candidates screened by gain share >= {SCREEN_FEATURE_SHARE} "
            f"per feature / >= {SCREEN_GROUP_SHARE} per group)"
        ),
    }
