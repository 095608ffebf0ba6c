"""artifact.py: integrity check, feature contract, calibration, deterministic save."""
import json

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from leadscore.artifact import (ArtifactIntegrityError, FeatureContractError, calibrate,
                                check_feature_contract, load_artifact, save_artifact)
from leadscore.errors import UserError

NAMES = ["seniority_rank", "connections", "email_clicks"]


def _booster(seed=42):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(int)
    d = xgb.DMatrix(X, label=y, feature_names=NAMES)
    params = {"objective": "binary:logistic", "max_depth": 3, "subsample": 0.8,
              "colsample_bytree": 0.8, "seed": seed, "nthread": 1, "tree_method": "hist"}
    return xgb.train(params, d, 30), X


def _card():
    return {"features": [{"name": n, "type": "DOUBLE", "label": n} for n in NAMES],
            "calibration": {"method": "none"}}


def test_save_load_roundtrip_and_determinism(tmp_path):
    b1, X = _booster()
    b2, _ = _booster()
    c1 = save_artifact(tmp_path / "m1", b1, _card())
    c2 = save_artifact(tmp_path / "m2", b2, _card())
    assert c1["booster_sha256"] == c2["booster_sha256"]
    assert (tmp_path / "m1" / "booster.ubj").read_bytes() == (tmp_path / "m2" / "booster.ubj").read_bytes()
    assert c1["model_version"] == "m1-" + c1["booster_sha256"][:10]
    text = (tmp_path / "m1" / "model_card.json").read_text()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"
    art = load_artifact(tmp_path / "m1")
    assert art.feature_names == NAMES and art.model_version == c1["model_version"]
    pred = art.booster.predict(xgb.DMatrix(X, feature_names=NAMES))
    np.testing.assert_array_equal(pred, b1.predict(xgb.DMatrix(X, feature_names=NAMES)))


def test_tampered_booster_is_refused(tmp_path):
    b, _ = _booster()
    card = save_artifact(tmp_path / "m", b, _card())
    other, _ = _booster(seed=7)
    (tmp_path / "m" / "booster.ubj").write_bytes(bytes(other.save_raw(raw_format="ubj")))
    with pytest.raises(ArtifactIntegrityError) as exc:
        load_artifact(tmp_path / "m")
    msg = str(exc.value)
    assert "integrity check failed: booster.ubj sha256" in msg
    assert "does not match model_card.json" in msg and card["booster_sha256"] in msg
    assert isinstance(exc.value, UserError)


def test_missing_files_name_the_file(tmp_path):
    b, _ = _booster()
    save_artifact(tmp_path / "m", b, _card())
    (tmp_path / "m" / "booster.ubj").unlink()
    with pytest.raises(UserError, match="missing booster.ubj"):
        load_artifact(tmp_path / "m")
    (tmp_path / "m" / "model_card.json").unlink()
    with pytest.raises(UserError, match="missing model_card.json"):
        load_artifact(tmp_path / "m")
    with pytest.raises(UserError, match="not found"):
        load_artifact(tmp_path / "nowhere")


def test_feature_contract_messages():
    card = _card()
    check_feature_contract(card, [(n, "DOUBLE") for n in NAMES])  # exact match passes
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [("seniority_rank", "DOUBLE"), ("connections", "DOUBLE")])
    assert "missing features (1): email_clicks" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [(n, "DOUBLE") for n in NAMES] + [("new_thing", "DOUBLE")])
    assert "unexpected extra features (1): new_thing" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [("connections", "DOUBLE"), ("seniority_rank", "DOUBLE"),
                                      ("email_clicks", "DOUBLE")])
    assert "order differences" in str(exc.value)
    assert "seniority_rank at position 2, expected 1" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [("seniority_rank", "DOUBLE"), ("connections", "VARCHAR"),
                                      ("email_clicks", "DOUBLE")])
    assert "type differences: connections is VARCHAR, model expects DOUBLE" in str(exc.value)
    assert "missing" not in str(exc.value) and "order" not in str(exc.value)


def test_calibrate_platt_and_none():
    raw = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(calibrate({"calibration": {"method": "none"}}, raw), raw)
    a, b = 0.8, -0.2
    expected = 1 / (1 + np.exp(-(a * np.log(raw / (1 - raw)) + b)))
    got = calibrate({"calibration": {"method": "platt", "a": a, "b": b}}, raw)
    np.testing.assert_allclose(got, expected)
    assert np.all(np.isfinite(calibrate({"calibration": {"method": "platt", "a": 1, "b": 0}},
                                        np.array([0.0, 1.0]))))
    with pytest.raises(UserError):
        calibrate({"calibration": {"method": "isotonic"}}, raw)


def test_oof_csv_written_exactly(tmp_path):
    b, _ = _booster()
    oof = pd.DataFrame({"lead_id": ["l1", "l2"], "contact_id": ["c1", "c2"], "fold": [1, 2],
                        "raw_score": [0.1234567890123456, 0.2], "score": [1 / 3, 0.7],
                        "label": [0, 1]})
    save_artifact(tmp_path / "m", b, _card(), oof=oof)
    back = pd.read_csv(tmp_path / "m" / "oof_predictions.csv")
    assert list(back.columns) == ["lead_id", "contact_id", "fold", "raw_score", "score", "label"]
    assert back["score"].tolist() == [1 / 3, 0.7]  # floats round-trip exactly
