"""ensemble.py: fold boosters, out-of-fold margins and the averaged-margin ensemble."""

import numpy as np
import pandas as pd
import pytest

from leadscore import ensemble
from leadscore.modelling import booster_margin, fit_booster, make_folds, sigmoid

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.normal(size=n)})
    X.loc[rng.random(n) < 0.1, "c"] = np.nan
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.5 * X["a"] - X["b"])))).astype(int).to_numpy()
    groups = np.array([f"l{i:04d}" for i in range(n)])
    return X, y, groups


def test_margin_is_logit_of_product_prediction():
    X, y, _ = _data()
    b = fit_booster(X, y, 42)
    m = ensemble.booster_margin(b, X)
    np.testing.assert_allclose(
        1 / (1 + np.exp(-m)), sigmoid(booster_margin(b, X)), rtol=1e-5, atol=1e-6
    )


def test_booster_is_the_one_xgboost_trains_on_named_features():
    """fit_booster names the features after training (cheaper): the saved booster is
    byte-identical to XGBoost's own fit on a DMatrix that carries the names."""
    import xgboost as xgb

    from leadscore.modelling import N_ESTIMATORS, xgb_params

    X, y, _ = _data()
    named = xgb.DMatrix(X.to_numpy(dtype=float), label=y, feature_names=list(X.columns))
    reference = xgb.train(xgb_params(42), named, num_boost_round=N_ESTIMATORS)
    booster = fit_booster(X, y, 42)
    assert booster.feature_names == ["a", "b", "c"]
    assert booster.save_raw("ubj") == reference.save_raw("ubj")


def test_single_repeat_is_the_product_cross_validation():
    X, y, groups = _data()
    folds = ensemble.repeated_folds(y, 5, 42, groups, repeats=1)
    np.testing.assert_array_equal(folds[0], make_folds(y, 5, 42, groups))
    cf = ensemble.cross_fit(X, y, folds, 42)
    assert len(cf.boosters) == 1 and len(cf.all_boosters) == 5
    for f, b in enumerate(cf.boosters[0]):  # fold f's booster never saw fold f and scores it
        te = folds[0] == f
        np.testing.assert_allclose(cf.oof_margin[te], ensemble.booster_margin(b, X[te]))
        ref = fit_booster(X[~te], y[~te], 42)
        assert ref.save_raw("ubj") == b.save_raw("ubj")  # byte-identical to the product's fit


def test_repeats_average_out_of_fold_margins_and_ensemble_is_mean_margin():
    X, y, groups = _data()
    folds = ensemble.repeated_folds(y, 5, 42, groups, repeats=3)
    assert not np.array_equal(folds[0], folds[1])
    cf = ensemble.cross_fit(X, y, folds, 42)
    assert cf.oof_margin_by_repeat.shape == (3, len(y))
    np.testing.assert_allclose(cf.oof_margin, cf.oof_margin_by_repeat.mean(axis=0))
    em = ensemble.ensemble_margin(cf.all_boosters, X.iloc[:7])
    manual = np.mean([ensemble.booster_margin(b, X.iloc[:7]) for b in cf.all_boosters], axis=0)
    np.testing.assert_allclose(em, manual)
    assert ensemble.margin_spread(cf.all_boosters, X.iloc[:7]).shape == (7,)
    with pytest.raises(ValueError, match="at least one booster"):
        ensemble.ensemble_margin([], X)


def test_grouped_rows_stay_in_one_fold_in_every_repeat():
    _X, y, _ = _data()
    groups = np.array([f"l{i // 2:04d}" for i in range(len(y))])  # every lead contacted twice
    for fold in ensemble.repeated_folds(y, 5, 42, groups, repeats=2):
        assert pd.Series(fold).groupby(groups).nunique().max() == 1
