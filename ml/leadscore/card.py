"""The model card: what a trained model is, how it was validated, and the rules it deploys with.

One typed class, `ModelCard`, made of small frozen dataclasses. `to_json` / `from_json` are the
only way in and out, and `from_dict` validates everything in one place (types via the
dataclass annotations, then the rules in `ModelCard.check`), so a card that loads is a card
the product can use.

The facts SQL needs reach the warehouse as typed rows, not as text re-parsed in SQL:
`sql_tables()` turns the card into small tables (one row per K, per tier, per gate, per
threshold, per feature, plus one row of model facts) that the artifact stores as JSON lines
and the engine's models/model/ layer reads.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from leadscore.errors import UserError


class CardError(UserError):
    """model_card.json is not a valid model card."""


# ----------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Feature:
    name: str
    type: str  # SQL type of the column in lead_features (DOUBLE)
    label: str  # plain-words label reason codes show
    known_before_contact: bool  # declared in the feature YAML; training refuses undeclared ones


@dataclass(frozen=True)
class Training:
    table: str
    rows: int
    positives: int
    leads: int
    base_rate: float
    trained_from: str | None  # earliest contact trained on (ISO-8601, UTC)
    trained_through: (
        str | None
    )  # latest contact trained on: scores count as fair for later contacts only
    data_fingerprint: str


@dataclass(frozen=True)
class Model:
    members: list[str]  # booster files (XGBoost UBJSON); the deployed margin is their mean
    params: dict[str, Any]
    n_estimators: int
    seed: int
    xgboost_version: str
    params_source: str  # "fixed defaults" or "grid search (nested CV)"


@dataclass(frozen=True)
class Calibration:
    """engagement_score = sigmoid(a * margin + b) of the deployed margin; method none: a=1, b=0.

    var_a, cov_ab, var_b: the covariance of the fitted (a, b) (inverse Fisher information on the
    out-of-fold margins); variance_factor scales it in list intervals (see calibration.py)."""

    method: str
    a: float = 1.0
    b: float = 0.0
    var_a: float = 0.0
    cov_ab: float = 0.0
    var_b: float = 0.0
    variance_factor: float = 1.0


@dataclass(frozen=True)
class RateAtK:
    k: int
    n: int
    hits: int
    precision: float
    ci_low: float
    ci_high: float
    lift: float | None
    min_score: float | None
    fraction: float | None = None  # set for the top-fraction rows
    wilson_low: float | None = None  # the interval's two parts (ci_low/ci_high = their union)
    wilson_high: float | None = None
    boot_low: float | None = None
    boot_high: float | None = None


@dataclass(frozen=True)
class CalibrationBand:
    band: int
    n: int
    hits: int
    score_min: float
    score_max: float
    mean_predicted: float
    observed_rate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Validation:
    """Cross-validation of the deployed scheme: what the reported numbers describe."""

    describes: str  # plain words: which model the numbers are about
    folds: int
    fold_grouping: str
    fold_method: str
    tie_rule: str
    precision_at_k: list[RateAtK]
    precision_at_fraction: list[RateAtK]
    roc_auc: float | None
    brier_raw: float
    brier_calibrated: float
    log_loss_raw: float
    log_loss_calibrated: float
    calibration_bands: list[CalibrationBand]
    interval_method: str = "Wilson 95%"
    details: dict[str, Any] = field(default_factory=dict)  # fold counts, baseline, search, ...


@dataclass(frozen=True)
class Threshold:
    rule: str  # "target" or "conservative"
    target_precision: float
    reached: bool
    score: float | None
    contacts_selected: int
    share_selected: float
    hits: int
    precision: float | None
    ci_low: float | None
    ci_high: float | None
    expected_responses: float
    note: str
    expected_precision: float | None = None  # mean calibrated score of the selected rows


@dataclass(frozen=True)
class LearningPoint:
    fraction: float  # share of each fold's training rows the boosters saw
    train_rows: float  # mean training rows per booster
    k: int
    precision: float  # CV precision@k at that size (Wilson 95%)
    ci_low: float
    ci_high: float
    roc_auc: float  # CV AUC at that size (Hanley-McNeil 95%)
    auc_ci_low: float
    auc_ci_high: float


@dataclass(frozen=True)
class LearningCurve:
    """How many labels are enough: CV at 25/50/75/100% of the training rows (learning_curve.py)."""

    points: list[LearningPoint]
    auc_gain: float  # CV AUC(100%) - CV AUC(50%)
    auc_gain_low: float  # its 90% paired-bootstrap interval
    auc_gain_high: float
    reading: str  # "flat: ..." / "more labels are still improving the model" / "unclear: ..."
    rule: str

    @property
    def improving(self) -> bool:
        return self.reading.startswith("more labels")


@dataclass(frozen=True)
class Tier:
    label: str
    min_score: float  # lower bound, inclusive; the first tier starts at 0


@dataclass(frozen=True)
class Gates:
    """Rollout / campaign gates on observed precision: >= proceed, >= recalibrate, else stop."""

    proceed: float
    recalibrate: float
    rule: str = ""  # how they were set (configured, or derived from the base rate)


@dataclass(frozen=True)
class ModelCard:
    name: str  # artifact name; model_version = "<name>-<sha256(SHA256SUMS)[:10]>"
    created_at: str
    features: list[Feature]
    training: Training
    model: Model
    validation: Validation
    calibration: Calibration
    thresholds: list[Threshold]
    tiers: list[Tier]
    k_values: list[int]
    gates: Gates
    leakage: dict[str, Any] = field(default_factory=dict)
    learning_curve: LearningCurve | None = None
    tier_rule: str = ""  # how the tier bounds were set (configured, or derived from the base rate)
    target_rule: str = ""  # how the thresholds' target precision was set (same)

    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    def threshold(self, rule: str = "target") -> Threshold:
        return next(t for t in self.thresholds if t.rule == rule)

    def check(self) -> None:
        """The rules a usable card follows (types were checked by from_dict)."""
        problems = []
        names = self.feature_names
        if not names or len(set(names)) != len(names):
            problems.append("features must be a non-empty list of distinct names")
        if not self.model.members:
            problems.append("model.members lists no booster file")
        if self.calibration.method not in ("platt", "none"):
            problems.append(f"unknown calibration method {self.calibration.method!r}")
        bounds = [t.min_score for t in self.tiers]
        if not self.tiers or bounds[0] != 0 or bounds != sorted(set(bounds)) or bounds[-1] >= 1:
            problems.append(
                f"tiers must start at 0 with strictly ascending bounds below 1, got {bounds}"
            )
        if len({t.label for t in self.tiers}) != len(self.tiers):
            problems.append("tier labels must be distinct")
        if (
            not self.k_values
            or any(k <= 0 for k in self.k_values)
            or len(set(self.k_values)) != len(self.k_values)
        ):
            problems.append(f"k_values must be distinct positive integers, got {self.k_values}")
        if not 0 < self.gates.recalibrate <= self.gates.proceed < 1:
            problems.append(f"gates need 0 < recalibrate <= proceed < 1, got {self.gates}")
        c = self.calibration
        # a negative variance would put NaN into every expected-responses interval in SQL
        if min(c.var_a, c.var_b, c.variance_factor) < 0 or c.cov_ab**2 > c.var_a * c.var_b + 1e-12:
            problems.append(
                "calibration covariance must be a covariance (variances >= 0, "
                "|cov_ab| <= sqrt(var_a * var_b)) and variance_factor >= 0"
            )
        if sorted(t.rule for t in self.thresholds) != ["conservative", "target"]:
            problems.append("thresholds must hold one 'target' and one 'conservative' rule")
        if problems:
            raise CardError("model card: " + "; ".join(problems))

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, allow_nan=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict) -> ModelCard:
        card = _build(cls, data, "card")
        card.check()
        return card

    @classmethod
    def from_json(cls, text: str) -> ModelCard:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CardError(f"model card is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    # ------------------------------------------------------------------ SQL tables

    def sql_tables(self) -> dict[str, list[dict]]:
        """The card's facts as typed rows for SQL (table name -> rows)."""
        return {
            "model": [self._model_row()],
            "k_values": [{"k": k} for k in self.k_values],
            "tiers": self._tier_rows(),
            "gates": [
                {"gate_order": 1, "decision": "proceed", "min_precision": self.gates.proceed},
                {
                    "gate_order": 2,
                    "decision": "recalibrate",
                    "min_precision": self.gates.recalibrate,
                },
                {"gate_order": 3, "decision": "stop", "min_precision": 0.0},
            ],
            "thresholds": [
                {k: v for k, v in dataclasses.asdict(t).items() if k != "note"}
                for t in self.thresholds
            ],
            "features": [
                {"position": i + 1, **dataclasses.asdict(f)} for i, f in enumerate(self.features)
            ],
            "precision_at_k": [
                {
                    "k": r.k,
                    "n": r.n,
                    "hits": r.hits,
                    "precision": r.precision,
                    "ci_low": r.ci_low,
                    "ci_high": r.ci_high,
                    "lift": r.lift,
                    "min_score": r.min_score,
                }
                for r in self.validation.precision_at_k
            ],
            "learning_curve": (
                [dataclasses.asdict(p) for p in self.learning_curve.points]
                if self.learning_curve
                else []
            ),
        }

    def _model_row(self) -> dict:
        """The one row of table model: the card's scalar facts."""
        return {
            "name": self.name,
            "created_at": _naive_utc(self.created_at),
            "xgboost_version": self.model.xgboost_version,
            "members": len(self.model.members),
            "feature_count": len(self.features),
            "training_rows": self.training.rows,
            "training_positives": self.training.positives,
            "base_rate": self.training.base_rate,
            "trained_from": _naive_utc(self.training.trained_from),
            "trained_through": _naive_utc(self.training.trained_through),
            "calibration_method": self.calibration.method,
            "calibration_a": self.calibration.a,
            "calibration_b": self.calibration.b,
            "calibration_var_a": self.calibration.var_a,
            "calibration_cov_ab": self.calibration.cov_ab,
            "calibration_var_b": self.calibration.var_b,
            "calibration_variance_factor": self.calibration.variance_factor,
            "learning_curve_reading": self.learning_curve.reading if self.learning_curve else None,
            "target_precision": self.threshold("target").target_precision,
        }

    def _tier_rows(self) -> list[dict]:
        """Each tier with its score range: [min_score, the next tier's min_score)."""
        return [
            {
                "tier_order": i + 1,
                "label": t.label,
                "min_score": t.min_score,
                "max_score": self.tiers[i + 1].min_score if i + 1 < len(self.tiers) else None,
            }
            for i, t in enumerate(self.tiers)
        ]


def _naive_utc(iso: str | None) -> str | None:
    """ISO-8601 text as naive UTC 'YYYY-MM-DDTHH:MM:SS': SQL casts it to a timestamp the same
    way on every engine, whatever the session time zone."""
    if iso is None:
        return None
    from datetime import UTC, datetime

    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


# ----------------------------------------------------------------------------- typed loading


def _build(cls, data, where: str):
    """Instantiate dataclass `cls` from a dict, checking every field against its annotation."""
    if not isinstance(data, dict):
        raise CardError(f"model card: {where} must be an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise CardError(f"model card: unknown field(s) in {where}: {', '.join(unknown)}")
    values = {}
    for name, f in fields.items():
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise CardError(f"model card: {where}.{name} is missing")
            continue
        values[name] = _value(hints[name], data[name], f"{where}.{name}")
    return cls(**values)


def _value(hint, value, where: str):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _value(inner, value, where)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise CardError(f"model card: {where} must be a list")
        return [_value(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict or hint is Any:
        if origin is dict and not isinstance(value, dict):
            raise CardError(f"model card: {where} must be an object")
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise CardError(f"model card: {where} must be a finite number")
        return float(value)
    if hint in (int, str, bool) and type(value) is hint:
        return value
    raise CardError(f"model card: {where} must be {getattr(hint, '__name__', hint)}, got {value!r}")
