"""The model artifact: one directory holding the booster, its model card and the OOF predictions.

Layout (see the shared design):
  booster.ubj           XGBoost UBJSON model (never pickle).
  model_card.json       everything needed to score and to explain the model (sorted keys, indent 2).
  oof_predictions.csv   lead_id, contact_id, fold, raw_score, score, label (cross-validation output).

Public API:
  load_artifact(model_dir) -> Artifact
  save_artifact(out_dir, booster, card, oof=None) -> dict (the card as written)
  check_feature_contract(card, columns) -> None
  calibrate(card, raw_prob) -> np.ndarray
  booster_bytes(booster) -> bytes, sha256_bytes(data) -> str
  ArtifactIntegrityError, FeatureContractError (both UserError)

The booster is only ever loaded after its sha256 has been checked against the card.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leadscore.errors import UserError

BOOSTER_FILE = "booster.ubj"
CARD_FILE = "model_card.json"
OOF_FILE = "oof_predictions.csv"
OOF_COLUMNS = ("lead_id", "contact_id", "fold", "raw_score", "score", "label")

# Clip probabilities before taking logits so 0 and 1 stay finite.
_EPS = 1e-7

# Spellings DuckDB (or a user) may use for the same column type.
_TYPE_ALIASES = {"FLOAT8": "DOUBLE", "DOUBLE PRECISION": "DOUBLE", "NUMERIC": "DECIMAL"}


class ArtifactIntegrityError(UserError):
    """booster.ubj does not match the sha256 recorded in model_card.json."""


class FeatureContractError(UserError):
    """The feature table's columns do not match the model card's feature list."""


@dataclass
class Artifact:
    """A loaded, integrity-checked model artifact."""

    dir: Path
    card: dict
    booster: "xgboost.Booster"  # noqa: F821

    @property
    def feature_names(self) -> list[str]:
        """Feature names in booster order (the order the score matrix must have)."""
        return [f["name"] for f in self.card["features"]]

    @property
    def model_version(self) -> str:
        return self.card["model_version"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def booster_bytes(booster) -> bytes:
    """The booster serialised as UBJSON (deterministic for the same trees)."""
    return bytes(booster.save_raw(raw_format="ubj"))


def _read_card(model_dir: Path) -> dict:
    card_path = model_dir / CARD_FILE
    if not card_path.is_file():
        raise UserError(f"model artifact {model_dir}: missing {CARD_FILE} "
                        f"(train a model with `leadscore train --out {model_dir}`)")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"model artifact {model_dir}: {CARD_FILE} is not valid JSON: {exc}") from exc
    for key in ("booster_sha256", "features", "model_version", "calibration"):
        if key not in card:
            raise UserError(f"model artifact {model_dir}: {CARD_FILE} has no '{key}' field")
    return card


def load_artifact(model_dir) -> Artifact:
    """Read model_card.json, verify booster.ubj's sha256, then load the booster.

    Raises UserError when a file is missing or unreadable and ArtifactIntegrityError when the
    booster's hash differs from the card's (the booster is not loaded in that case).
    """
    import xgboost as xgb

    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise UserError(f"model artifact directory not found: {model_dir}")
    card = _read_card(model_dir)
    booster_name = card.get("booster_file", BOOSTER_FILE)
    booster_path = model_dir / booster_name
    if not booster_path.is_file():
        raise UserError(f"model artifact {model_dir}: missing {booster_name}")
    raw = booster_path.read_bytes()
    actual = sha256_bytes(raw)
    expected = card["booster_sha256"]
    if actual != expected:
        raise ArtifactIntegrityError(
            f"integrity check failed: {booster_name} sha256 {actual} does not match "
            f"{CARD_FILE} booster_sha256 {expected} (in {model_dir}); the booster was modified "
            "or belongs to another model: retrain or restore the artifact")
    booster = xgb.Booster()
    booster.load_model(bytearray(raw))  # the verified bytes, not a second read of the file
    names = [f["name"] for f in card["features"]]
    if booster.feature_names is not None and list(booster.feature_names) != names:
        raise ArtifactIntegrityError(
            f"integrity check failed: {booster_name} feature names differ from {CARD_FILE} features")
    booster.feature_names = names
    return Artifact(dir=model_dir, card=card, booster=booster)


def _norm_type(t: str) -> str:
    t = str(t).strip().upper()
    return _TYPE_ALIASES.get(t, t)


def check_feature_contract(card: dict, columns) -> None:
    """Check a feature table against the card's feature list (names, order and types).

    columns: [(name, type), ...] of the table's feature columns (key columns already removed),
    in table order. Raises FeatureContractError listing every difference: missing features,
    unexpected extra columns, type differences and order differences.
    """
    expected = [(f["name"], _norm_type(f.get("type", "DOUBLE"))) for f in card["features"]]
    actual = [(str(n), _norm_type(t)) for n, t in columns]
    if expected == actual:
        return
    exp_names = [n for n, _ in expected]
    act_names = [n for n, _ in actual]
    exp_types, act_types = dict(expected), dict(actual)
    problems = []
    missing = [n for n in exp_names if n not in act_types]
    extra = [n for n in act_names if n not in exp_types]
    if missing:
        problems.append(f"missing features ({len(missing)}): {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected extra features ({len(extra)}): {', '.join(extra)}")
    dupes = sorted({n for n in act_names if act_names.count(n) > 1})
    if dupes:
        problems.append(f"duplicated columns: {', '.join(dupes)}")
    type_diffs = [f"{n} is {act_types[n]}, model expects {t}"
                  for n, t in expected if n in act_types and act_types[n] != t]
    if type_diffs:
        problems.append("type differences: " + "; ".join(type_diffs))
    common_exp = [n for n in exp_names if n in act_types]
    common_act = [n for n in act_names if n in exp_types]
    if common_exp != common_act and not dupes:
        moved = [f"{n} at position {common_act.index(n) + 1}, expected {i + 1}"
                 for i, n in enumerate(common_exp) if common_act[i] != n]
        problems.append("order differences: " + "; ".join(moved[:10])
                        + (f"; ... ({len(moved)} in all)" if len(moved) > 10 else ""))
    raise FeatureContractError(
        f"feature table does not match model {card.get('model_version', '?')}: "
        + " | ".join(problems))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def platt(raw_prob: np.ndarray, a: float, b: float) -> np.ndarray:
    """p = 1 / (1 + exp(-(a * logit(raw) + b)))."""
    z = a * logit(raw_prob) + b
    return 1.0 / (1.0 + np.exp(-z))


def calibrate(card: dict, raw_prob) -> np.ndarray:
    """Map raw booster probabilities to calibrated scores per card["calibration"]."""
    cal = card.get("calibration") or {"method": "none"}
    method = cal.get("method", "none")
    raw = np.asarray(raw_prob, dtype=float)
    if method == "none":
        return raw.copy()
    if method == "platt":
        return platt(raw, float(cal["a"]), float(cal["b"]))
    raise UserError(f"model card: unknown calibration method {method!r}")


def save_artifact(out_dir, booster, card: dict, oof=None) -> dict:
    """Write booster.ubj, model_card.json and (if given) oof_predictions.csv to out_dir.

    Fills card["booster_file"], card["booster_sha256"] and card["model_version"]
    ("<out dir name>-<sha256[:10]>"). The files are written to a temporary sibling folder and
    moved into place, so a failed save never leaves a half-written artifact. Returns the card.
    oof: a pandas DataFrame with OOF_COLUMNS.
    """
    out_dir = Path(out_dir).resolve()
    raw = booster_bytes(booster)
    digest = sha256_bytes(raw)
    card = dict(card)
    card["booster_file"] = BOOSTER_FILE
    card["booster_sha256"] = digest
    card["model_version"] = f"{out_dir.name}-{digest[:10]}"
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (tmp / BOOSTER_FILE).write_bytes(raw)
        (tmp / CARD_FILE).write_text(json.dumps(card, sort_keys=True, indent=2) + "\n",
                                     encoding="utf-8")
        if oof is not None:
            oof = oof.loc[:, list(OOF_COLUMNS)]
            oof.to_csv(tmp / OOF_FILE, index=False, lineterminator="\n")  # repr floats: exact round-trip
        out_dir.mkdir(exist_ok=True)
        # Replace only our own files; anything else in the folder is left alone.
        for name in (BOOSTER_FILE, CARD_FILE, OOF_FILE):
            if (tmp / name).exists():
                os.replace(tmp / name, out_dir / name)
            elif (out_dir / name).exists():
                (out_dir / name).unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return card
