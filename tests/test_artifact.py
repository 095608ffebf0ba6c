"""artifact.py and card.py: typed card, SHA256SUMS integrity, feature contract, calibration."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from leadscore import card as cardmod
from leadscore.artifact import (
    SUMS_FILE,
    ArtifactIntegrityError,
    FeatureContractError,
    calibrate,
    check_feature_contract,
    load_artifact,
    save_artifact,
)
from leadscore.errors import UserError

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)

NAMES = ["seniority_rank", "connections", "email_clicks"]


def _booster(seed=42):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 0).astype(int)
    d = xgb.DMatrix(X, label=y, feature_names=NAMES)
    params = {
        "objective": "binary:logistic",
        "max_depth": 3,
        "subsample": 0.8,
        "colsample_bytree": 0.8,
        "seed": seed,
        "nthread": 1,
        "tree_method": "hist",
    }
    return xgb.train(params, d, 30), X


def make_card(name="m", members=("booster_0.ubj",), calibration=None, **changes):
    """A small valid card (tests change one field at a time)."""
    rate = cardmod.RateAtK(
        k=5, n=5, hits=3, precision=0.6, ci_low=0.23, ci_high=0.88, lift=1.5, min_score=0.7
    )
    threshold = {
        "target_precision": 0.65,
        "reached": True,
        "score": 0.6,
        "contacts_selected": 10,
        "share_selected": 0.1,
        "hits": 7,
        "precision": 0.7,
        "ci_low": 0.4,
        "ci_high": 0.89,
        "expected_responses": 6.5,
        "note": "",
    }
    card = cardmod.ModelCard(
        name=name,
        created_at="2026-11-01T10:00:00+00:00",
        features=[cardmod.Feature(n, "DOUBLE", n.replace("_", " "), True) for n in NAMES],
        training=cardmod.Training(
            table="lead_training_set",
            rows=200,
            positives=90,
            leads=200,
            base_rate=0.45,
            trained_from="2026-01-01T00:00:00",
            trained_through="2026-10-01T12:00:00",
            data_fingerprint="x",
        ),
        model=cardmod.Model(
            members=list(members),
            params={"max_depth": 3},
            n_estimators=30,
            seed=42,
            xgboost_version=xgb.__version__,
            params_source="fixed defaults",
        ),
        validation=cardmod.Validation(
            describes="test",
            folds=5,
            fold_grouping="lead_id",
            fold_method="test",
            tie_rule="score desc",
            precision_at_k=[rate],
            precision_at_fraction=[],
            roc_auc=0.7,
            brier_raw=0.2,
            brier_calibrated=0.19,
            log_loss_raw=0.6,
            log_loss_calibrated=0.59,
            calibration_bands=[],
        ),
        calibration=calibration or cardmod.Calibration("none"),
        thresholds=[
            cardmod.Threshold(rule="target", **threshold),
            cardmod.Threshold(rule="conservative", **threshold),
        ],
        tiers=[
            cardmod.Tier("Low", 0.0),
            cardmod.Tier("Medium", 0.6),
            cardmod.Tier("High", 0.75),
            cardmod.Tier("Critical", 0.85),
        ],
        k_values=[5, 10],
        gates=cardmod.Gates(proceed=0.6, recalibrate=0.5),
    )
    return dataclasses.replace(card, **changes)


def _oof():
    return pd.DataFrame(
        {
            "lead_id": ["l1", "l2"],
            "contact_id": ["c1", "c2"],
            "fold": [1, 2],
            "raw_score": [0.1234567890123456, 0.2],
            "score": [1 / 3, 0.7],
            "label": [0, 1],
        }
    )


def test_card_round_trips_and_validates():
    card = make_card()
    assert cardmod.ModelCard.from_json(card.to_json()) == card
    data = json.loads(card.to_json())
    data["tiers"][1]["min_score"] = "0.6"
    with pytest.raises(cardmod.CardError, match=r"card.tiers\[1\].min_score must be float"):
        cardmod.ModelCard.from_dict(data)
    data = json.loads(card.to_json())
    del data["training"]["base_rate"]
    with pytest.raises(cardmod.CardError, match=r"card\.training\.base_rate is missing"):
        cardmod.ModelCard.from_dict(data)
    data = json.loads(card.to_json())
    data["surprise"] = 1
    with pytest.raises(cardmod.CardError, match="unknown field"):
        cardmod.ModelCard.from_dict(data)
    bad_tiers = [cardmod.Tier("Low", 0.0), cardmod.Tier("High", 0.9), cardmod.Tier("Mid", 0.5)]
    with pytest.raises(cardmod.CardError, match="ascending"):
        make_card(tiers=bad_tiers).check()
    with pytest.raises(cardmod.CardError, match="gates"):
        make_card(gates=cardmod.Gates(proceed=0.4, recalibrate=0.5)).check()


def test_card_sql_tables_are_typed_rows():
    tables = make_card().sql_tables()
    assert tables["k_values"] == [{"k": 5}, {"k": 10}]
    assert [(t["label"], t["min_score"], t["max_score"]) for t in tables["tiers"]] == [
        ("Low", 0.0, 0.6),
        ("Medium", 0.6, 0.75),
        ("High", 0.75, 0.85),
        ("Critical", 0.85, None),
    ]
    assert [(g["decision"], g["min_precision"]) for g in tables["gates"]] == [
        ("proceed", 0.6),
        ("recalibrate", 0.5),
        ("stop", 0.0),
    ]
    (model,) = tables["model"]
    assert model["created_at"] == "2026-11-01T10:00:00"  # naive UTC: same cast on every engine
    assert model["trained_through"] == "2026-10-01T12:00:00"


def test_save_load_roundtrip_and_determinism(tmp_path):
    b1, X = _booster()
    b2, _ = _booster()
    v1 = save_artifact(tmp_path / "a" / "m", [b1], make_card(), _oof())
    v2 = save_artifact(tmp_path / "b" / "m", [b2], make_card(), _oof())
    assert v1 == v2 and v1.startswith("m-")
    assert (tmp_path / "a/m/booster_0.ubj").read_bytes() == (
        tmp_path / "b/m/booster_0.ubj"
    ).read_bytes()
    sums = (tmp_path / "a/m" / SUMS_FILE).read_text().splitlines()
    assert sorted(line.split("  ")[1] for line in sums) == sorted(
        [
            "booster_0.ubj",
            "model_card.json",
            "tables/oof_predictions.jsonl",
            "tables/model.jsonl",
            "tables/k_values.jsonl",
            "tables/tiers.jsonl",
            "tables/gates.jsonl",
            "tables/thresholds.jsonl",
            "tables/features.jsonl",
            "tables/tree_nodes.jsonl",
            "tables/tree_members.jsonl",
            "tables/tree_paths.jsonl",
            "tables/precision_at_k.jsonl",
            "tables/learning_curve.jsonl",
        ]
    )
    art = load_artifact(tmp_path / "a" / "m")
    assert art.feature_names == NAMES and art.model_version == v1
    expected = b1.predict(xgb.DMatrix(X, feature_names=NAMES), output_margin=True)
    np.testing.assert_array_equal(art.predict_margin(X.astype(np.float32)), expected)
    rows = [json.loads(line) for line in (tmp_path / "a/m/tables/oof_predictions.jsonl").open()]
    assert [r["score"] for r in rows] == [1 / 3, 0.7]  # floats round-trip exactly


def test_ensemble_margin_is_the_members_mean(tmp_path):
    (b1, X), (b2, _) = _booster(1), _booster(2)
    save_artifact(
        tmp_path / "m", [b1, b2], make_card(members=["booster_0.ubj", "booster_1.ubj"]), _oof()
    )
    art = load_artifact(tmp_path / "m")
    d = xgb.DMatrix(X, feature_names=NAMES)
    expected = (
        b1.predict(d, output_margin=True).astype(float) + b2.predict(d, output_margin=True)
    ) / 2
    np.testing.assert_allclose(
        art.predict_margin(X.astype(np.float32)), expected, rtol=0, atol=1e-12
    )


@pytest.mark.parametrize(
    "victim",
    ["booster_0.ubj", "model_card.json", "tables/oof_predictions.jsonl", "tables/tiers.jsonl"],
)
def test_any_modified_file_is_refused_naming_it(tmp_path, victim):
    b, _ = _booster()
    save_artifact(tmp_path / "m", [b], make_card(), _oof())
    path = tmp_path / "m" / victim
    path.write_bytes(path.read_bytes().replace(b"0", b"1", 1))
    with pytest.raises(ArtifactIntegrityError, match=f"{victim} has sha256 .* SHA256SUMS says"):
        load_artifact(tmp_path / "m")


def test_rewritten_sums_give_another_model_version(tmp_path):
    """Even a consistent edit (file + SHA256SUMS) cannot keep the model_version."""
    b, _ = _booster()
    version = save_artifact(tmp_path / "m", [b], make_card(), _oof())
    card_path = tmp_path / "m/model_card.json"
    card_path.write_text(card_path.read_text().replace('"a": 1.0', '"a": 1.5'))
    sums_path = tmp_path / "m" / SUMS_FILE
    import hashlib

    lines = [
        f"{hashlib.sha256((tmp_path / 'm' / n).read_bytes()).hexdigest()}  {n}"
        for n in (line.split("  ")[1] for line in sums_path.read_text().splitlines())
    ]
    sums_path.write_text("\n".join(lines) + "\n")
    assert load_artifact(tmp_path / "m").model_version != version


def test_missing_files_name_the_file(tmp_path):
    b, _ = _booster()
    save_artifact(tmp_path / "m", [b], make_card(), _oof())
    (tmp_path / "m" / "booster_0.ubj").unlink()
    with pytest.raises(
        ArtifactIntegrityError, match=r"booster_0\.ubj listed in SHA256SUMS is missing"
    ):
        load_artifact(tmp_path / "m")
    (tmp_path / "m" / SUMS_FILE).write_text("")
    with pytest.raises(ArtifactIntegrityError, match="SHA256SUMS is empty"):
        load_artifact(tmp_path / "m")
    (tmp_path / "m" / SUMS_FILE).unlink()
    with pytest.raises(ArtifactIntegrityError, match="missing SHA256SUMS"):
        load_artifact(tmp_path / "m")
    with pytest.raises(UserError, match="not found"):
        load_artifact(tmp_path / "nowhere")


def test_retraining_in_place_drops_files_of_the_earlier_model(tmp_path):
    (b1, _), (b2, _) = _booster(1), _booster(2)
    save_artifact(
        tmp_path / "m", [b1, b2], make_card(members=["booster_0.ubj", "booster_1.ubj"]), _oof()
    )
    save_artifact(tmp_path / "m", [b1], make_card(), _oof())
    assert not (tmp_path / "m" / "booster_1.ubj").exists()
    assert len(load_artifact(tmp_path / "m").boosters) == 1


def test_feature_contract_messages():
    card = make_card()
    check_feature_contract(card, [(n, "DOUBLE") for n in NAMES])  # exact match passes
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [("seniority_rank", "DOUBLE"), ("connections", "DOUBLE")])
    assert "missing features (1): email_clicks" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(card, [(n, "DOUBLE") for n in NAMES] + [("new_thing", "DOUBLE")])
    assert "unexpected extra features (1): new_thing" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(
            card,
            [("connections", "DOUBLE"), ("seniority_rank", "DOUBLE"), ("email_clicks", "DOUBLE")],
        )
    assert "seniority_rank at position 2, expected 1" in str(exc.value)
    with pytest.raises(FeatureContractError) as exc:
        check_feature_contract(
            card,
            [("seniority_rank", "DOUBLE"), ("connections", "VARCHAR"), ("email_clicks", "DOUBLE")],
        )
    assert "type differences: connections is VARCHAR, model expects DOUBLE" in str(exc.value)
    assert "missing" not in str(exc.value) and "order" not in str(exc.value)


def test_calibrate_platt_and_none():
    margin = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(calibrate(make_card(), margin), 1 / (1 + np.exp(-margin)))
    platt = make_card(calibration=cardmod.Calibration("platt", 0.8, -0.2))
    np.testing.assert_allclose(calibrate(platt, margin), 1 / (1 + np.exp(-(0.8 * margin - 0.2))))
    with pytest.raises(cardmod.CardError, match="unknown calibration method"):
        make_card(calibration=cardmod.Calibration("isotonic")).check()
    with pytest.raises(cardmod.CardError, match="calibration covariance must be a covariance"):
        make_card(calibration=cardmod.Calibration("platt", 0.8, -0.2, var_a=-0.01)).check()
    with pytest.raises(cardmod.CardError, match="calibration covariance must be a covariance"):
        make_card(calibration=cardmod.Calibration("platt", 0.8, -0.2, 0.01, 0.5, 0.01)).check()
