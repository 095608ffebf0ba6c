"""calibration.py: Platt on margins, its covariance, list intervals, slope and ECE."""

import numpy as np
import pytest

from leadscore import calibration as cal
from leadscore.modelling import fit_platt

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _draw(n=3000, a=0.7, b=-0.3, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.normal(0, 1.5, n)
    y = (rng.random(n) < cal.sigmoid(a * m + b)).astype(int)
    return m, y


def test_fit_platt_margin_recovers_parameters_and_matches_product():
    m, y = _draw()
    a, b = cal.fit_platt_margin(m, y)
    assert a == pytest.approx(0.7, abs=0.08) and b == pytest.approx(-0.3, abs=0.1)
    assert (a, b) == fit_platt(m, y)


def test_platt_covariance_matches_sampling_spread():
    est = np.array([cal.fit_platt_margin(*_draw(n=400, seed=s)) for s in range(200)])
    m, y = _draw(n=400, seed=999)
    cov = cal.platt_covariance(m, *cal.fit_platt_margin(m, y))
    sd_emp, sd_th = est.std(axis=0), np.sqrt(np.diag(cov))
    np.testing.assert_allclose(sd_th, sd_emp, rtol=0.3)


def test_expected_responses_interval():
    m = np.array([-1.0, 0.0, 1.0, 2.0])
    plain = cal.expected_responses_interval(m, 1.0, 0.0)
    p = cal.sigmoid(m)
    assert plain["expected"] == pytest.approx(p.sum())
    assert plain["sd"] == pytest.approx(np.sqrt(np.sum(p * (1 - p))))
    assert plain["sd_calibration"] == 0.0 and plain["low"] >= 0 and plain["high"] <= 4
    cov = np.array([[0.01, 0.0], [0.0, 0.02]])
    wide = cal.expected_responses_interval(m, 1.0, 0.0, cov)
    w = p * (1 - p)
    g = np.array([np.sum(w * m), np.sum(w)])
    assert wide["sd_calibration"] == pytest.approx(np.sqrt(g @ cov @ g))
    assert wide["high"] - wide["low"] > plain["high"] - plain["low"]


def test_calibration_slope_and_ece():
    rng = np.random.default_rng(1)
    z = rng.normal(0, 1.2, 5000)
    truth = cal.sigmoid(z)
    assert cal.calibration_slope(truth, truth) == pytest.approx((1.0, 0.0), abs=1e-6)
    assert cal.expected_calibration_error(truth, truth) == pytest.approx(0.0)
    compressed = cal.sigmoid(z / 1.3)
    slope, _ = cal.calibration_slope(compressed, truth)
    assert slope == pytest.approx(1.3, abs=1e-4)
    shifted = np.clip(truth + 0.05, 0, 1)
    assert cal.expected_calibration_error(shifted, truth) == pytest.approx(0.05, abs=0.005)
    # outcomes instead of probabilities: same slope up to noise
    y = (rng.random(5000) < truth).astype(float)
    assert cal.calibration_slope(compressed, y)[0] == pytest.approx(1.3, abs=0.15)
