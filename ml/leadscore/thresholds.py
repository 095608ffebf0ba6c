"""Score thresholds for a target precision, and how much to trust them.

All rules scan the distinct scores of a reference set (the out-of-fold rows) from the top and
return the LOWEST cut-off whose selection (score >= cut-off, at least min_n rows) passes the
rule's criterion; selection by score >= cut-off keeps tied scores together. When no cut-off
passes, reached=False and the cut-off with the best criterion value is returned instead
(like leadscore.metrics.threshold_for_target).

Rules:
- observed(z): the Wilson lower bound (z; z=0 = the observed precision) of the out-of-fold
  hits among the selection reaches the target. z=0 is the product's plain rule, z=1.96 its
  conservative rule.
- calibrated(z): the selection's expected precision -- the mean calibrated score of its rows,
  sigmoid(a * margin + b) -- minus z standard errors of that mean (delta method on the Platt
  parameters' covariance) reaches the target. z=0: the plain calibrated mean.

Recommended (benchmarks/truth_harness.py, 303 labels, target 0.65): calibrated with a margin,
RECOMMENDED_MARGIN = 0.10 -- the lowest cut-off whose selected out-of-fold rows have a mean
calibrated score of at least target + 0.10. The margin pays for choosing the cut-off on the
same labels the calibration was fitted on (where the calibration happens to look good, the
target is reached more easily: a winner's curse of about 3-4 points at 303 labels).

Pure numpy/pandas; no I/O.
"""

from __future__ import annotations

import math

import numpy as np

from leadscore.calibration import apply_platt
from leadscore.metrics import wilson_interval

RECOMMENDED_MARGIN = 0.10
ONE_SIDED_Z = {
    0.5: 0.0,
    0.8: 0.8416212335729143,
    0.9: 1.2815515655446004,
    0.95: 1.6448536269514722,
    0.975: 1.959963984540054,
}


def _cutoffs(score: np.ndarray):
    """Distinct scores descending, and how many rows score >= each."""
    s = np.asarray(score, dtype=float)
    uniq = np.unique(s)[::-1]
    n_at_least = np.searchsorted(-np.sort(s)[::-1], -uniq, side="right")
    return uniq, n_at_least


def _pick(uniq, n_sel, crit, target, min_n, extra: dict) -> dict:
    total = int(n_sel[-1]) if len(n_sel) else 0
    eligible = n_sel >= min(min_n, total)
    ok = np.flatnonzero(eligible & (crit >= target - 1e-12))
    if len(ok):
        i, reached = ok[-1], True
    elif eligible.any():
        pool = np.flatnonzero(eligible)
        best = crit[pool].max()
        i, reached = pool[crit[pool] >= best - 1e-12][-1], False
    else:
        return {"reached": False, "score": None, "selected": 0, "criterion_value": None}
    out = {
        "reached": bool(reached),
        "score": float(uniq[i]),
        "selected": int(n_sel[i]),
        "criterion_value": float(crit[i]),
    }
    out.update({k: (float(v[i]) if hasattr(v, "__len__") else v) for k, v in extra.items()})
    return out


def threshold_observed(score, label, target: float, z: float = 0.0, min_n: int = 10) -> dict:
    """Lowest cut-off whose out-of-fold Wilson lower bound (at z) of hits / selected reaches
    target. Returns {"reached", "score", "selected", "criterion_value", "precision"}."""
    s = np.asarray(score, dtype=float)
    y = np.asarray(label, dtype=float)
    uniq, n_sel = _cutoffs(s)
    order = np.argsort(-s, kind="mergesort")
    hits = np.cumsum(y[order])[n_sel - 1]
    prec = hits / n_sel
    crit = (
        prec
        if z == 0
        else np.array([wilson_interval(h, n, z)[0] for h, n in zip(hits, n_sel, strict=True)])
    )
    return _pick(uniq, n_sel, crit, target, min_n, {"precision": prec})


def selection_expected_precision(margin, a: float, b: float, cov=None) -> tuple[float, float]:
    """(mean calibrated score, its standard error from the Platt covariance) of a selection."""
    m = np.asarray(margin, dtype=float)
    p = apply_platt(m, a, b)
    if cov is None or len(m) == 0:
        return float(p.mean()) if len(m) else 0.0, 0.0
    w = p * (1 - p)
    g = np.array([np.mean(w * m), np.mean(w)])
    return float(p.mean()), math.sqrt(max(float(g @ np.asarray(cov) @ g), 0.0))


def threshold_calibrated(
    margin, a: float, b: float, target: float, cov=None, z: float = 0.0, min_n: int = 10
) -> dict:
    """Lowest cut-off (on the calibrated score sigmoid(a m + b)) whose selection's mean
    calibrated score minus z standard errors (Platt covariance, delta method) reaches target.
    Returns {"reached", "score", "selected", "criterion_value", "expected_precision", "se"}."""
    m = np.asarray(margin, dtype=float)
    p = apply_platt(m, a, b)
    uniq, n_sel = _cutoffs(p)
    order = np.argsort(-p, kind="mergesort")
    ms, ps = m[order], p[order]
    w = ps * (1 - ps)
    mean_p = np.cumsum(ps)[n_sel - 1] / n_sel
    if cov is None:
        se = np.zeros(len(uniq))
    else:
        g = (
            np.column_stack([np.cumsum(w * ms)[n_sel - 1], np.cumsum(w)[n_sel - 1]])
            / n_sel[:, None]
        )
        se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", g, np.asarray(cov), g), 0.0))
    crit = mean_p - z * se
    return _pick(uniq, n_sel, crit, target, min_n, {"expected_precision": mean_p, "se": se})


def threshold_recommended(
    margin,
    a: float,
    b: float,
    target: float,
    safety_margin: float = RECOMMENDED_MARGIN,
    min_n: int = 10,
) -> dict:
    """The recommended rule: threshold_calibrated at target + safety_margin (no z); the
    returned dict also carries "target_precision" and "rule"."""
    t = threshold_calibrated(margin, a, b, target + safety_margin, min_n=min_n)
    return {
        **t,
        "target_precision": float(target),
        "rule": (
            f"lowest cut-off whose selected out-of-fold rows have a mean calibrated "
            f"score >= target + {safety_margin:g} (at least {min_n} rows)"
        ),
    }
