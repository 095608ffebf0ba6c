"""Evaluation statistics: the single Python source of every number the product reports.

Pure numpy/pandas. Frames passed in have one row per contact with a score column, a 0/1 label
column and the tie-breaking keys lead_id and contact_id (contact_id is optional: when absent
the tie rule is score desc, lead_id asc).

Conventions (shared with the SQL marts, see the design):
- Tie rule for any ranking: score desc, then lead_id asc, then contact_id asc.
- Precision@K: the first K rows of that ranking; if K > n all n rows are used and n is reported.
- Wilson score interval, 95%, z = 1.959963984540054.
- Lift = precision / base rate (base rate = positives / rows of the frame evaluated).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.959963984540054
TIE_RULE = "score desc, lead_id asc, contact_id asc"


def wilson_interval(hits, n, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion hits/n. n == 0 -> (0.0, 1.0).

    8/10 -> (0.4902, 0.9433).
    """
    hits, n = float(hits), float(n)
    if n <= 0:
        return 0.0, 1.0
    p = hits / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def lift(precision: float, base_rate: float) -> float | None:
    """precision / base_rate; None when the base rate is 0."""
    if base_rate is None or base_rate <= 0:
        return None
    return precision / base_rate


def rank_by_tie_rule(df: pd.DataFrame, score_col: str = "score") -> pd.DataFrame:
    """Rows ordered by the tie rule: score desc, lead_id asc, contact_id asc (if present)."""
    by, asc = [score_col], [False]
    for key in ("lead_id", "contact_id"):
        if key in df.columns:
            by.append(key)
            asc.append(True)
    return df.sort_values(by, ascending=asc, kind="mergesort").reset_index(drop=True)


def _labels(df: pd.DataFrame, label_col: str) -> np.ndarray:
    return df[label_col].astype(float).to_numpy()


def _top_k_row(
    ranked: pd.DataFrame, k: int, score_col: str, label_col: str, base_rate: float
) -> dict:
    n = min(int(k), len(ranked))
    top = ranked.iloc[:n]
    hits = int(_labels(top, label_col).sum())
    precision = hits / n if n else 0.0
    lo, hi = wilson_interval(hits, n)
    return {
        "k": int(k),
        "n": n,
        "hits": hits,
        "precision": precision,
        "ci_low": lo,
        "ci_high": hi,
        "lift": lift(precision, base_rate),
        "min_score": float(top[score_col].min()) if n else None,
    }


def precision_at_k(
    df: pd.DataFrame, k_values, score_col: str = "score", label_col: str = "label"
) -> list[dict]:
    """Precision of the top K rows (tie rule) for each K.

    Returns [{"k", "n", "hits", "precision", "ci_low", "ci_high", "lift", "min_score"}]; n is
    the number of rows actually used (min(K, rows)); min_score the lowest score among them.
    """
    ranked = rank_by_tie_rule(df, score_col)
    base = float(_labels(df, label_col).mean()) if len(df) else 0.0
    return [_top_k_row(ranked, k, score_col, label_col, base) for k in k_values]


def precision_at_fractions(
    df: pd.DataFrame,
    fractions=(0.01, 0.05, 0.10, 0.20),
    score_col: str = "score",
    label_col: str = "label",
) -> list[dict]:
    """Precision of the top fraction of rows: K = ceil(fraction * n) (at least 1).

    Same rows as precision_at_k plus "fraction".
    """
    n = len(df)
    ranked = rank_by_tie_rule(df, score_col)
    base = float(_labels(df, label_col).mean()) if n else 0.0
    out = []
    for f in fractions:
        k = max(1, math.ceil(round(float(f) * n, 9)))
        row = _top_k_row(ranked, k, score_col, label_col, base)
        out.append({"fraction": float(f), **row})
    return out


def roc_auc(y, score) -> float | None:
    """Area under the ROC curve (Mann-Whitney, tied scores count one half).

    None when only one class is present.
    """
    y = np.asarray(y, dtype=float)
    s = np.asarray(score, dtype=float)
    n_pos = int((y == 1).sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(s).rank(method="average").to_numpy()
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def brier(y, prob) -> float:
    """Mean squared difference between the predicted probability and the 0/1 outcome."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(prob, dtype=float)
    return float(np.mean((p - y) ** 2))


def log_loss(y, prob, eps: float = 1e-15) -> float:
    """Mean negative log-likelihood of the 0/1 outcomes."""
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(prob, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def calibration_table(
    df: pd.DataFrame, score_col: str = "score", label_col: str = "label", n_bands: int = 10
) -> list[dict]:
    """Predicted vs observed response rate in equal-count bands of the predicted score.

    Rows are ranked by the tie rule and cut into n_bands consecutive groups of (nearly) equal
    size (np.array_split: the first len % n_bands bands get one extra row); band 1 holds the
    highest scores. Equal-count bands (deciles by default) keep every band populated even when
    scores cluster near the base rate. Each band: {"band", "n", "score_min", "score_max",
    "mean_predicted", "observed_rate", "hits", "ci_low", "ci_high"}.
    """
    ranked = rank_by_tie_rule(df, score_col)
    out = []
    if len(ranked) == 0:
        return out
    for i, idx in enumerate(np.array_split(np.arange(len(ranked)), min(n_bands, len(ranked)))):
        part = ranked.iloc[idx]
        n = len(part)
        hits = int(_labels(part, label_col).sum())
        lo, hi = wilson_interval(hits, n)
        out.append(
            {
                "band": i + 1,
                "n": n,
                "score_min": float(part[score_col].min()),
                "score_max": float(part[score_col].max()),
                "mean_predicted": float(part[score_col].mean()),
                "observed_rate": hits / n,
                "hits": hits,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return out


def cutoff_table(
    df: pd.DataFrame, score_col: str = "score", label_col: str = "label"
) -> pd.DataFrame:
    """For each distinct score c (descending): n, hits, precision and Wilson bounds of score >= c."""
    g = df.groupby(score_col, sort=True)[label_col].agg(["size", "sum"]).sort_index(ascending=False)
    n = g["size"].cumsum().to_numpy()
    hits = g["sum"].astype(float).cumsum().to_numpy()
    ci = [wilson_interval(h, m) for h, m in zip(hits, n, strict=True)]
    return pd.DataFrame(
        {
            "score": g.index.to_numpy(dtype=float),
            "n": n,
            "hits": hits,
            "precision": hits / n,
            "ci_low": [c[0] for c in ci],
            "ci_high": [c[1] for c in ci],
        }
    )


def threshold_for_target(
    df: pd.DataFrame,
    target: float,
    score_col: str = "score",
    label_col: str = "label",
    conservative: bool = False,
    min_n: int = 10,
) -> dict:
    """The lowest score cut-off whose selection (score >= cut-off) reaches the target precision.

    Candidate cut-offs are the distinct scores; selection is score >= cut-off, so tied scores
    are always selected together. The plain rule needs the observed precision >= target; the
    conservative rule (conservative=True) needs the Wilson 95% lower bound >= target.
    Only selections of at least min_n rows are eligible (min-n guard: a "threshold" proven on
    three leads is no threshold); when the frame has fewer than min_n rows, all rows are.
    When no eligible cut-off reaches the target: reached=False and the eligible cut-off with the
    best precision (resp. lower bound) is returned instead (the lowest such cut-off on a tie).

    Returns {"target_precision", "reached", "criterion", "score", "contacts_selected",
    "leads_selected", "share_selected", "hits", "precision", "ci_low", "ci_high",
    "expected_responses"}; contacts_selected = rows with score >= cut-off (one row per contact);
    leads_selected is the same count under its historical name (kept for the consumers of the
    model card; it counts rows, i.e. contacts, not distinct leads); share_selected = that count
    / rows. expected_responses = the sum of the scores of the selected rows (what a calibrated
    model predicts for that selection, a point value; compare with hits, the observed count).
    ci_low / ci_high bound the observed precision (Wilson 95%), not expected_responses.
    """
    total = len(df)
    base = {
        "target_precision": float(target),
        "criterion": "wilson_lower_bound" if conservative else "precision",
    }
    if total == 0:
        return {
            **base,
            "reached": False,
            "score": None,
            "contacts_selected": 0,
            "leads_selected": 0,
            "share_selected": 0.0,
            "hits": 0,
            "precision": None,
            "ci_low": None,
            "ci_high": None,
            "expected_responses": 0.0,
        }
    cuts = cutoff_table(df, score_col, label_col)
    crit = cuts["ci_low"] if conservative else cuts["precision"]
    eligible = cuts["n"] >= min(min_n, total)
    ok = cuts[eligible & (crit >= target - 1e-12)]
    if len(ok):
        row = ok.iloc[-1]  # descending order: last = lowest cut-off
        reached = True
    else:
        reached = False
        pool = cuts[eligible]
        best = crit[eligible].max()
        row = pool[crit[eligible] >= best - 1e-12].iloc[-1]
    sel = df[score_col].astype(float) >= row["score"]
    return {
        **base,
        "reached": reached,
        "score": float(row["score"]),
        "contacts_selected": int(row["n"]),
        "leads_selected": int(row["n"]),
        "share_selected": float(row["n"]) / total,
        "hits": int(row["hits"]),
        "precision": float(row["precision"]),
        "ci_low": float(row["ci_low"]),
        "ci_high": float(row["ci_high"]),
        "expected_responses": float(df.loc[sel, score_col].astype(float).sum()),
    }
