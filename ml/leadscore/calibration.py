"""Calibration of margins into probabilities, its uncertainty, and calibration diagnostics.

Platt scaling on margins: p = sigmoid(a * margin + b), (a, b) fitted by maximum likelihood
(leadscore.modelling.fit_platt). Its 2x2 covariance is the inverse Fisher information at the fit; the delta
method turns it into the uncertainty of any sum of calibrated scores ("expected responses").

Diagnostics against a reference probability (the hidden truth in the benchmark, or 0/1
outcomes): calibration slope / intercept (logistic regression of the reference on the
predicted log-odds) and expected calibration error (ECE).

Pure numpy; no I/O.
"""

from __future__ import annotations

import math

import numpy as np

from leadscore.metrics import Z95
from leadscore.modelling import fit_platt, sigmoid

# The list interval doubles the delta-method calibration variance: the Platt fit's own
# uncertainty covers about half of what the deployed ensemble's calibration error varies by
# across 303-label samples (the rest: out-of-fold margins are not exactly the deployed
# ensemble's); measured with benchmarks/truth_harness.py (coverage 0.90 -> 0.96).
CALIBRATION_VARIANCE_FACTOR = 2.0


def fit_platt_margin(margin, y) -> tuple[float, float]:
    """Maximum-likelihood Platt (a, b) of p = sigmoid(a * margin + b)."""
    return fit_platt(margin, y)


def apply_platt(margin, a: float, b: float) -> np.ndarray:
    return sigmoid(a * np.asarray(margin, dtype=float) + b)


def platt_covariance(margin, a: float, b: float) -> np.ndarray:
    """Covariance of the Platt (a, b) estimate: inverse of the Fisher information
    sum w [m^2, m; m, 1], w = p(1 - p), at the fitted parameters (asymptotic, in-sample)."""
    m = np.asarray(margin, dtype=float)
    p = apply_platt(m, a, b)
    w = np.maximum(p * (1 - p), 1e-12)
    info = np.array([[np.sum(w * m * m), np.sum(w * m)], [np.sum(w * m), np.sum(w)]])
    return np.linalg.inv(info + np.eye(2) * 1e-9)


def expected_responses_interval(
    margin, a: float, b: float, cov=None, z: float = Z95, variance_factor: float = 1.0
) -> dict:
    """Expected responses of a list (sum of calibrated scores) and a z-interval for the
    realised count.

    Variance = sum p(1 - p) (the Poisson-binomial count given the probabilities)
    + variance_factor * g' cov g (uncertainty of the calibration itself, delta method;
    g = d sum(p) / d(a, b) = [sum w m, sum w]). cov=None gives the plain Poisson-binomial
    interval (today's marts); the recommended interval passes the Platt covariance and
    variance_factor=CALIBRATION_VARIANCE_FACTOR. Clipped to [0, n]. Returns {"n", "expected",
    "sd", "sd_outcomes", "sd_calibration", "low", "high"}.
    """
    m = np.asarray(margin, dtype=float)
    p = apply_platt(m, a, b)
    w = p * (1 - p)
    var_out = float(np.sum(w))
    var_cal = 0.0
    if cov is not None and len(m):
        g = np.array([np.sum(w * m), np.sum(w)])
        var_cal = variance_factor * float(g @ np.asarray(cov) @ g)
    sd = math.sqrt(var_out + var_cal)
    e = float(np.sum(p))
    n = len(m)
    return {
        "n": n,
        "expected": e,
        "sd": sd,
        "sd_outcomes": math.sqrt(var_out),
        "sd_calibration": math.sqrt(var_cal),
        "low": max(0.0, e - z * sd),
        "high": min(float(n), e + z * sd),
    }


def calibration_slope(p_pred, reference, iters: int = 50) -> tuple[float, float]:
    """(slope, intercept) of the logistic regression of `reference` (probabilities or 0/1
    outcomes) on logit(p_pred). Slope 1 = well spread; > 1 = predictions too compressed
    (under-confident); < 1 = too extreme (over-confident)."""
    x = np.log(np.clip(p_pred, 1e-7, 1 - 1e-7) / (1 - np.clip(p_pred, 1e-7, 1 - 1e-7)))
    t = np.asarray(reference, dtype=float)
    beta = np.zeros(2)
    A = np.column_stack([x, np.ones_like(x)])
    for _ in range(iters):
        p = sigmoid(A @ beta)
        w = np.maximum(p * (1 - p), 1e-12)
        step = np.linalg.solve(A.T @ (A * w[:, None]) + np.eye(2) * 1e-9, A.T @ (t - p))
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(beta[0]), float(beta[1])


def expected_calibration_error(p_pred, reference, n_bins: int = 10) -> float:
    """ECE: sum over equal-count bins of the prediction (sorted ascending) of
    (bin share) * |mean prediction - mean reference|."""
    p = np.asarray(p_pred, dtype=float)
    t = np.asarray(reference, dtype=float)
    order = np.argsort(p, kind="mergesort")
    err = 0.0
    for idx in np.array_split(order, min(n_bins, len(p))):
        err += len(idx) / len(p) * abs(p[idx].mean() - t[idx].mean())
    return float(err)
