"""The model artifact: one folder holding everything a deployed model is.

    model_card.json        the typed model card (leadscore.card.ModelCard)
    booster_<i>.ubj        the XGBoost boosters (UBJSON, never pickles); the deployed margin is
                           their mean (card.model.members lists them)
    tables/<name>.jsonl    typed rows for SQL: the card's facts, the trees (leadscore.trees:
                           tree_nodes, tree_members, tree_paths), and
                           oof_predictions (lead_id, contact_id, fold, raw_score, score, label:
                           the cross-validation predictions)
    SHA256SUMS             sha256 of every file above (`sha256sum -c SHA256SUMS` checks it)

Every file is covered by SHA256SUMS, written last at training time and checked before use
(here, and by the engine in SQL on every adapter). model_version = "<card name>-<first 10 hex
digits of sha256(SHA256SUMS)>", so any change to any file - even with SHA256SUMS rewritten to
match - is a different model version and never overwrites the real model's history.
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

from leadscore import trees
from leadscore.card import ModelCard
from leadscore.errors import UserError

CARD_FILE = "model_card.json"
OOF_FILE = "tables/oof_predictions.jsonl"
SUMS_FILE = "SHA256SUMS"
TABLES_DIR = "tables"
OOF_COLUMNS = ("lead_id", "contact_id", "fold", "raw_score", "score", "label")

# Spellings DuckDB (or a user) may use for the same column type.
_TYPE_ALIASES = {"FLOAT8": "DOUBLE", "DOUBLE PRECISION": "DOUBLE", "NUMERIC": "DECIMAL"}


class ArtifactIntegrityError(UserError):
    """A file of the artifact does not match SHA256SUMS."""


class FeatureContractError(UserError):
    """The feature table's columns do not match the model card's feature list."""


def booster_file(i: int) -> str:
    return f"booster_{i}.ubj"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_version(name: str, sums_text: bytes) -> str:
    return f"{name}-{sha256_bytes(sums_text)[:10]}"


@dataclass
class Artifact:
    """A loaded, integrity-checked model artifact."""

    dir: Path
    card: ModelCard
    boosters: list  # xgboost.Booster, one per card.model.members entry
    model_version: str

    @property
    def feature_names(self) -> list[str]:
        """Feature names in booster order (the order the score matrix must have)."""
        return self.card.feature_names

    def predict_margin(self, x: np.ndarray) -> np.ndarray:
        """Deployed margin (log-odds) per row: the mean of the members' XGBoost margins
        (summed in member order, as the SQL scorer does). x: float32 matrix in card feature
        order, NaN = missing."""
        return trees.predict_margin(self.boosters, x)

    def predict_contributions(self, x: np.ndarray) -> np.ndarray:
        """Per row, each feature's contribution to the deployed margin, then the bias (the
        members' mean of XGBoost's approximate contributions; they sum to the margin)."""
        return trees.predict_contributions(self.boosters, x)

    def predict_score(self, x: np.ndarray) -> np.ndarray:
        """Calibrated engagement score per row."""
        return calibrate(self.card, self.predict_margin(x))


# ----------------------------------------------------------------------------- loading


def read_sums(model_dir: Path) -> tuple[dict[str, str], bytes]:
    """SHA256SUMS as {file: sha256} plus its raw bytes."""
    path = model_dir / SUMS_FILE
    if not path.is_file():
        raise ArtifactIntegrityError(
            f"model artifact {model_dir}: missing {SUMS_FILE} (every artifact file is covered by "
            f"it; retrain with `leadscore train --out {model_dir}`)"
        )
    raw = path.read_bytes()
    sums = {}
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name:
            raise ArtifactIntegrityError(
                f"model artifact {model_dir}: {SUMS_FILE} line {n} is not '<sha256>  <file>'"
            )
        sums[name] = digest
    if not sums:
        raise ArtifactIntegrityError(f"model artifact {model_dir}: {SUMS_FILE} is empty")
    return sums, raw


def verify_files(model_dir: Path, sums: dict[str, str]) -> None:
    """Every file listed in SHA256SUMS exists and matches; the card and OOF file are listed."""
    for required in (CARD_FILE, OOF_FILE):
        if required not in sums:
            raise ArtifactIntegrityError(
                f"model artifact {model_dir}: {SUMS_FILE} does not cover {required}"
            )
    for name, expected in sums.items():
        path = model_dir / name
        if not path.is_file():
            raise ArtifactIntegrityError(
                f"model artifact {model_dir}: {name} listed in {SUMS_FILE} is missing"
            )
        actual = sha256_bytes(path.read_bytes())
        if actual != expected:
            raise ArtifactIntegrityError(
                f"integrity check failed: {model_dir / name} has sha256 {actual}, {SUMS_FILE} "
                f"says {expected}: the file was modified or belongs to another model; retrain or "
                "restore the artifact"
            )


def load_artifact(model_dir) -> Artifact:
    """Check every file against SHA256SUMS, then read the card and load the boosters."""
    import xgboost as xgb

    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise UserError(f"model artifact directory not found: {model_dir}")
    sums, sums_raw = read_sums(model_dir)
    verify_files(model_dir, sums)
    card = ModelCard.from_json((model_dir / CARD_FILE).read_text(encoding="utf-8"))
    boosters = []
    for name in card.model.members:
        if name not in sums:
            raise ArtifactIntegrityError(
                f"model artifact {model_dir}: {SUMS_FILE} does not cover {name}"
            )
        booster = xgb.Booster()
        booster.load_model(bytearray((model_dir / name).read_bytes()))
        if booster.feature_names is not None and list(booster.feature_names) != card.feature_names:
            raise ArtifactIntegrityError(
                f"integrity check failed: {name} feature names differ from {CARD_FILE} features"
            )
        booster.feature_names = card.feature_names
        boosters.append(booster)
    return Artifact(
        dir=model_dir,
        card=card,
        boosters=boosters,
        model_version=model_version(card.name, sums_raw),
    )


# ----------------------------------------------------------------------------- contract


def _norm_type(t: str) -> str:
    t = str(t).strip().upper()
    return _TYPE_ALIASES.get(t, t)


def check_feature_contract(card: ModelCard, columns) -> None:
    """Check a feature table against the card's feature list (names, order and types).

    columns: [(name, type), ...] of the table's feature columns (key columns already removed),
    in table order. Raises FeatureContractError listing every difference.
    """
    expected = [(f.name, _norm_type(f.type)) for f in card.features]
    actual = [(str(n), _norm_type(t)) for n, t in columns]
    if expected == actual:
        return
    exp_names, act_names = [n for n, _ in expected], [n for n, _ in actual]
    exp_types, act_types = dict(expected), dict(actual)
    problems = []
    missing = [n for n in exp_names if n not in act_types]
    extra = [n for n in act_names if n not in exp_types]
    if missing:
        problems.append(f"missing features ({len(missing)}): {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected extra features ({len(extra)}): {', '.join(extra)}")
    type_diffs = [
        f"{n} is {act_types[n]}, model expects {t}"
        for n, t in expected
        if n in act_types and act_types[n] != t
    ]
    if type_diffs:
        problems.append("type differences: " + "; ".join(type_diffs))
    common_exp = [n for n in exp_names if n in act_types]
    common_act = [n for n in act_names if n in exp_types]
    if common_exp != common_act:
        moved = [
            f"{n} at position {common_act.index(n) + 1}, expected {i + 1}"
            for i, n in enumerate(common_exp)
            if common_act[i] != n
        ]
        problems.append(
            "order differences: "
            + "; ".join(moved[:10])
            + (f"; ... ({len(moved)} in all)" if len(moved) > 10 else "")
        )
    raise FeatureContractError(
        f"feature table does not match model card {card.name}: " + " | ".join(problems)
    )


# ----------------------------------------------------------------------------- calibration


def sigmoid(z) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def calibrate(card: ModelCard, margin) -> np.ndarray:
    """engagement_score = sigmoid(a * margin + b) (a=1, b=0 when uncalibrated)."""
    cal = card.calibration
    return sigmoid(cal.a * np.asarray(margin, dtype=float) + cal.b)


# ----------------------------------------------------------------------------- saving


def feature_reference_rows(X) -> list[dict]:
    """The training rows' feature values for the artifact's table feature_reference: per
    feature (X's column order) each distinct value, NULL first, with how many rows hold it.
    Frozen at training, it is feature_drift's reference: today's rebuild of the training rows
    would move with any change in how the raw data reads (units, parsing)."""
    rows = []
    for name in X.columns:
        counts = X[name].astype(float).value_counts(dropna=False)
        ordered = sorted(counts.items(), key=lambda vc: (not np.isnan(vc[0]), vc[0]))
        rows += [
            {"feature": name, "value": None if np.isnan(v) else float(v), "value_count": int(n)}
            for v, n in ordered
        ]
    return rows


def save_artifact(out_dir, boosters, card: ModelCard, oof, tables=None) -> str:
    """Write the artifact to out_dir atomically and return its model_version.

    boosters: one xgboost.Booster per card.model.members entry (in that order); oof: a pandas
    DataFrame with OOF_COLUMNS; tables: extra SQL tables (name -> rows) besides the card's own
    and the trees. Files are written to a temporary sibling folder and moved into place, so a
    failed save never leaves a half-written artifact; other files in out_dir are left alone.
    """
    out_dir = Path(out_dir).resolve()
    files = {CARD_FILE: card.to_json().encode("utf-8")}
    if len(boosters) != len(card.model.members):
        raise ValueError("save_artifact: one booster per card.model.members entry")
    for name, booster in zip(card.model.members, boosters, strict=True):
        files[name] = bytes(booster.save_raw(raw_format="ubj"))
    oof_rows = (
        oof.loc[:, list(OOF_COLUMNS)]
        .astype(
            {
                "lead_id": str,
                "contact_id": str,
                "fold": int,
                "raw_score": float,
                "score": float,
                "label": int,
            }
        )
        .to_dict("records")
    )
    sql_tables = {
        **card.sql_tables(),
        "oof_predictions": oof_rows,
        **trees.tree_tables(boosters),
        **(tables or {}),
    }
    for name, rows in sql_tables.items():
        files[f"{TABLES_DIR}/{name}.jsonl"] = "".join(
            json.dumps(row, sort_keys=True, allow_nan=False) + "\n" for row in rows
        ).encode("utf-8")
    sums = "".join(
        f"{sha256_bytes(data)}  {name}\n" for name, data in sorted(files.items())
    ).encode()
    files[SUMS_FILE] = sums
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
        out_dir.mkdir(exist_ok=True)
        _replace_artifact_files(tmp, out_dir, files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return model_version(card.name, sums)


def _replace_artifact_files(tmp: Path, out_dir: Path, files: dict) -> None:
    """Move the new files in (SHA256SUMS last) and drop artifact files of an earlier model."""
    old_sums = out_dir / SUMS_FILE
    stale = set(read_sums(out_dir)[0]) - set(files) if old_sums.is_file() else set()
    if old_sums.is_file():
        old_sums.unlink()  # an interrupted replace then fails the integrity check, loudly
    for name in sorted(files, key=lambda n: n == SUMS_FILE):
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / name, out_dir / name)
    for name in stale:
        (out_dir / name).unlink(missing_ok=True)
