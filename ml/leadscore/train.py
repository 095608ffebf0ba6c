"""`leadscore train`: cross-validate the XGBoost scorer on lead_training_set and deploy what was
validated.

Steps (one function each, below):
 1. read + validate: the training table from the warehouse (DuckDB file, or a dbt target such
    as Spark); refuse (UserError, nothing written) on missing table/columns, an empty table,
    NULL labels or lead_ids, non-numeric or undeclared features, one class only, fewer than 10
    positives or negatives in any (grouped) fold.
 2. leakage guard: single-feature out-of-fold AUC above --max-feature-auc, and the drop-column
    rule of leakage.py (a feature or feature group that alone lifts CV AUC suspiciously);
    refused unless --allow-leaky.
 3. cross-fit: --repeats (default 5) repetitions of 5-fold CV grouped by lead_id (seeds seed,
    seed+1, ...). Every row's out-of-fold margin is the mean of the R boosters that never saw it.
 4. deploy what was validated: the deployed model is the first repetition's 5 fold boosters,
    their margins averaged -- like every row's out-of-fold margin, a mean of 5 boosters each
    trained on 80% of the rows. Platt calibration fitted on the out-of-fold margins maps the
    deployed margin to engagement_score. So the cross-validated numbers describe the model that
    scores leads, not a different (refitted) one; benchmarks/truth_harness.py measures how
    well they hold on fresh leads.
 5. evaluate: precision@K with the union of the Wilson and the bootstrap interval
    (intervals.py), AUC, Brier, calibration bands, the target threshold (thresholds.py's
    recommended rule) and the conservative one, a learning curve (learning_curve.py); tiers
    from --tiers, the project's var tier_min_scores, or derived from the base rate.
 6. write the artifact (boosters, model_card.json, SQL tables) and print the report.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from leadscore import (
    calibration,
    ensemble,
    intervals,
    leakage,
    learning_curve,
    metrics,
    paths,
    project,
    publish,
    settings,
)
from leadscore import card as cardmod
from leadscore import thresholds as thresholds_mod
from leadscore.artifact import SUMS_FILE, booster_file, feature_reference_rows, save_artifact
from leadscore.errors import UserError
from leadscore.modelling import (
    FOLD_GROUPING,
    INNER_FOLDS,
    N_ESTIMATORS,
    SEARCH_GRID,
    fold_class_counts,
    make_folds,
    sigmoid,
    xgb_params,
)

DEFAULT_TABLE = "lead_training_set"
MIN_CLASS_PER_FOLD = 10
SMALL_DATA_ROWS = 1000
FRACTIONS = (0.01, 0.05, 0.10, 0.20)
DEFAULT_REPEATS = ensemble.RECOMMENDED_REPEATS
LEARNING_CURVE_K = 50  # the phase-1 list size; the curve uses the largest K <= it

NUMERIC_TYPES = {
    "DOUBLE",
    "FLOAT",
    "REAL",
    "INTEGER",
    "BIGINT",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "BOOLEAN",
}


def _is_numeric(t: str) -> bool:
    t = t.upper()
    return t in NUMERIC_TYPES or t.startswith("DECIMAL")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _add_data_arguments(parser.add_argument_group("where the training data comes from"))
    _add_training_arguments(parser.add_argument_group("how the model is trained"))
    _add_guard_arguments(parser.add_argument_group("leakage guard and comparisons"))


def _add_data_arguments(parser) -> None:
    project.add_argument(parser)
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $LEADSCORE_DB or the project's build database)",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="read the table through dbt from this profile target (e.g. spark) "
        "instead of the DuckDB file",
    )
    parser.add_argument(
        "--table",
        default=DEFAULT_TABLE,
        help=f"training table, optionally schema-qualified (default {DEFAULT_TABLE})",
    )
    parser.add_argument(
        "--target-path",
        type=Path,
        default=None,
        help="dbt target folder of the build: its manifest documents the features, its "
        "run_results.json must show a successful dbt build (default: <project>/target)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="artifact directory to write (default: the project's var model_dir, "
        "which its next build scores with)",
    )


def _add_training_arguments(parser) -> None:
    parser.add_argument(
        "--seed",
        type=int,
        default=settings.SEED,
        help="seed of the folds and the boosters (default %(default)s)",
    )
    parser.add_argument(
        "--k-values",
        default=",".join(map(str, settings.K_VALUES)),
        help="comma-separated K for precision@K (default %(default)s)",
    )
    parser.add_argument(
        "--target-precision",
        type=float,
        default=None,
        help="precision the card's score thresholds (target, conservative) are chosen to "
        "reach (default: the project's var target_precision, else derived from the base rate)",
    )
    parser.add_argument(
        "--tiers",
        default=None,
        help="comma-separated lower score bounds of the tiers above Low, e.g. "
        "0.6,0.75,0.85 (default: the project's var tier_min_scores, else "
        "derived from the base rate)",
    )
    parser.add_argument(
        "--gates",
        default=None,
        help="the rollout / campaign gates on observed precision, PROCEED,RECALIBRATE, e.g. "
        "0.6,0.5 (default: the project's var rollout_gates, else derived from the base rate)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=DEFAULT_REPEATS,
        help="repetitions of the 5-fold cross-validation (default %(default)s)",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="small hyper-parameter grid search, nested: each fold booster's "
        "parameters are chosen by inner 3-fold log loss on its own "
        "training rows (slower)",
    )


def _add_guard_arguments(parser) -> None:
    parser.add_argument(
        "--max-feature-auc",
        type=float,
        default=0.9,
        help="refuse features whose single-feature OOF AUC exceeds this (leakage)",
    )
    parser.add_argument(
        "--allow-leaky",
        action="store_true",
        help="train anyway when the leakage guard triggers (recorded in the card)",
    )
    parser.add_argument(
        "--allow-feature",
        action="append",
        default=[],
        metavar="NAME",
        help="a feature (or prefix group such as status_*) known to be measured "
        "before contact that the drop-column rule may not refuse; repeatable, "
        "recorded in the card",
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also cross-validate a logistic-regression baseline on the same folds",
    )


@dataclass(frozen=True)
class TrainOptions:
    """Everything `leadscore train` is told; defaults are the shipped training defaults."""

    db_path: Path | None = None
    table: str = DEFAULT_TABLE
    out: Path = settings.DEFAULT_ARTIFACT_DIR
    seed: int = settings.SEED
    k_values: tuple = settings.K_VALUES
    target_precision: float | None = None  # None: var target_precision, else derived
    tiers: tuple | None = None  # None: var tier_min_scores, else derived
    gates: tuple | None = None  # (proceed, recalibrate); None: var rollout_gates, else derived
    repeats: int = DEFAULT_REPEATS
    max_feature_auc: float = 0.9
    allow_leaky: bool = False
    allow_features: tuple = ()
    baseline: bool = False
    search: bool = False
    manifest: Path | None = None
    target: str | None = None
    project_dir: Path = settings.PROJECT_ROOT


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Reading the warehouse
# ---------------------------------------------------------------------------------------------


def _qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def first_sentence(comment: str | None, fallback: str) -> str:
    """Text before the first ". " of a column comment (trailing '.' dropped); fallback if empty."""
    if not comment or not str(comment).strip():
        return fallback
    text = str(comment).strip().split(". ", 1)[0].strip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    return text or fallback


def load_training_data(db_path: Path, table: str):
    """Return (frame, columns) where columns = [(name, type, comment)] in table order."""
    import duckdb

    db_path = Path(db_path)
    paths.check_database_path(db_path, "--db")
    if not db_path.is_file():
        raise UserError(f"warehouse not found: {db_path} (run dbt build first: `leadscore build`)")
    schema, _, name = table.rpartition(".")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open warehouse {db_path} read-only: {exc}") from exc
    try:
        sql = (
            "select schema_name, column_name, data_type, comment, column_index "
            "from duckdb_columns() where database_name = current_database() "
            "and lower(table_name) = lower(?)"
        )
        params = [name]
        if schema:
            sql += " and lower(schema_name) = lower(?)"
            params.append(schema)
        cols = con.execute(sql + " order by schema_name, column_index", params).fetchall()
        if not cols:
            raise UserError(
                f"table {table} not found in {db_path} (run dbt build first: `leadscore build`)"
            )
        schemas = sorted({c[0] for c in cols})
        if len(schemas) > 1:
            if "main" in schemas:
                schemas = ["main"]
            else:
                raise UserError(
                    f"table {name} exists in several schemas ({', '.join(schemas)}): "
                    "pass --table schema.table"
                )
        cols = [c for c in cols if c[0] == schemas[0]]
        columns = [(c[1], str(c[2]), c[3]) for c in cols]
        names = [c[0] for c in columns]
        required = [*settings.TRAINING_KEY_COLUMNS, settings.LABEL_COLUMN]
        missing = [c for c in required if c not in names]
        if missing:
            raise UserError(
                f"table {table} lacks required column(s): {', '.join(missing)} "
                f"(expected keys {', '.join(settings.TRAINING_KEY_COLUMNS)} "
                f"and label {settings.LABEL_COLUMN})"
            )
        df = con.execute(f"select * from {_qi(schemas[0])}.{_qi(name)}").df()
    finally:
        con.close()
    return df, columns


def load_training_data_from_target(table: str, target: str, project_dir=settings.PROJECT_ROOT):
    """load_training_data's (frame, columns) read through dbt from a profile target (Spark)."""
    import tempfile

    from leadscore import dbt_read

    # dbt show writes manifest/run_results: keep them out of the build's target folder
    with tempfile.TemporaryDirectory(prefix="leadscore-train-") as scratch:
        return dbt_read.read_table(
            table, target, target_path=Path(scratch), project_dir=project_dir
        )


def feature_docs(manifest_path: Path, table: str) -> dict[str, dict]:
    """Per feature column: its YAML description and meta, from the dbt manifest of the build.

    The columns are documented on the input project's model that provides the table
    (input_<table>, e.g. input_lead_training_set), or on <table> itself."""
    manifest_path = Path(manifest_path)
    if not manifest_path.is_file():
        raise UserError(
            f"dbt manifest not found: {manifest_path} (run `leadscore build` first; "
            "training reads the feature documentation from it)"
        )
    nodes = json.loads(manifest_path.read_text(encoding="utf-8")).get("nodes", {})
    name = table.rpartition(".")[2].lower()
    for wanted in (f"input_{name}", name):
        for node in nodes.values():
            if (
                node.get("resource_type") == "model"
                and node.get("name", "").lower() == wanted
                and node.get("columns")
            ):
                return {c.lower(): col for c, col in node["columns"].items()}
    return {}


def card_features(feats, docs: dict) -> list:
    """The card's feature list; refuses features whose YAML does not declare
    meta.known_before_contact (the leakage guard's first line)."""
    undeclared = [
        n
        for n, _, _ in feats
        if not isinstance(
            (docs.get(n.lower()) or {}).get("meta", {}).get("known_before_contact"), bool
        )
    ]
    if undeclared:
        raise UserError(
            f"{len(undeclared)} feature(s) do not declare meta.known_before_contact in the feature "
            f"YAML: {', '.join(undeclared[:10])}{' ...' if len(undeclared) > 10 else ''}. Declare "
            "known_before_contact: true for every feature measured before the contact"
        )
    after = [n for n, _, _ in feats if docs[n.lower()]["meta"]["known_before_contact"] is False]
    if after:
        raise UserError(
            f"feature(s) declared known_before_contact: false cannot be trained on "
            f"(they are measured after the contact: leakage): {', '.join(after)}"
        )
    out = []
    for n, t, comment in feats:
        doc = docs[n.lower()]
        label = doc.get("meta", {}).get("label") or first_sentence(
            doc.get("description") or comment, n
        )
        out.append(
            cardmod.Feature(name=n, type=str(t).upper(), label=label, known_before_contact=True)
        )
    return out


def feature_columns(columns) -> list[tuple[str, str, str]]:
    skip = set(settings.TRAINING_KEY_COLUMNS) | {settings.LABEL_COLUMN}
    return [c for c in columns if c[0] not in skip]


def data_fingerprint(df: pd.DataFrame, names: list[str]) -> str:
    """sha256 of the training frame as canonical CSV: rows sorted by contact_id, columns in table
    order, floats as %.17g, timestamps ISO-8601, NULL as empty, label 0/1."""
    canon = df.loc[:, names].copy()
    for c in canon.columns:
        s = canon[c]
        if pd.api.types.is_bool_dtype(s):
            canon[c] = s.map(lambda v: "" if pd.isna(v) else str(int(bool(v))))
        elif pd.api.types.is_float_dtype(s):
            canon[c] = s.map(lambda v: "" if pd.isna(v) else format(float(v), ".17g"))
        elif pd.api.types.is_datetime64_any_dtype(s):
            canon[c] = s.map(lambda v: "" if pd.isna(v) else pd.Timestamp(v).isoformat())
        else:
            canon[c] = s.map(lambda v: "" if pd.isna(v) else str(v))
    buf = io.StringIO()
    canon.to_csv(buf, index=False, lineterminator="\n")
    return hashlib.sha256(buf.getvalue().encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Step 1: read and validate
# ---------------------------------------------------------------------------------------------


@dataclass
class TrainingData:
    """The validated training rows in canonical order (sorted by contact_id)."""

    frame: pd.DataFrame
    columns: list  # [(name, type, comment)] of the table, in table order
    features: list  # card features (documented, known before contact)
    X: pd.DataFrame
    y: np.ndarray
    groups: np.ndarray  # lead_id per row: folds are grouped by it

    @property
    def leads(self) -> int:
        return len(np.unique(self.groups))


def read_training_data(opts: TrainOptions) -> TrainingData:
    """Read the table and refuse anything training cannot use (UserError, nothing written)."""
    manifest = opts.manifest or project.target_path(opts.project_dir) / "manifest.json"
    check_build(manifest, opts.table, opts.db_path if opts.target is None else None)
    if opts.target is None:
        _progress(f"reading {opts.table} from {opts.db_path}")
        df, columns = load_training_data(Path(opts.db_path), opts.table)
    else:
        _progress(f"reading {opts.table} from dbt target {opts.target}")
        df, columns = load_training_data_from_target(opts.table, opts.target, opts.project_dir)
    feats = feature_columns(columns)
    if not feats:
        raise UserError(f"table {opts.table} has no feature columns")
    documented = card_features(feats, feature_docs(manifest, opts.table))
    bad = [f"{n} ({t})" for n, t, _ in feats if not _is_numeric(t)]
    if bad:
        raise UserError(
            f"non-numeric feature column(s) in {opts.table}: {', '.join(bad)}; "
            "features must be numeric (DOUBLE), encode categories in the dbt models"
        )
    check_rows(df, opts.table)
    # Canonical row order: folds and the fingerprint do not depend on the table's physical order.
    df = (
        df.assign(_cid=df["contact_id"].astype(str))
        .sort_values("_cid", kind="mergesort")
        .drop(columns="_cid")
        .reset_index(drop=True)
    )
    y = df[settings.LABEL_COLUMN].astype(bool).astype(int).to_numpy()
    data = TrainingData(
        df,
        columns,
        documented,
        df[[f[0] for f in feats]].astype(float),
        y,
        df["lead_id"].astype(str).to_numpy(),
    )
    check_classes(data, opts.table)
    return data


def check_build(manifest: Path, table: str, db_path=None) -> None:
    """Train only on the tables of a successful `dbt build` (a failed data test means they may
    be wrong), as publishing requires: its run_results.json beside the manifest says so, the
    table and everything it is made from were built and tested in it (not left by an earlier,
    failed build under a narrow --select), and the build database (db_path; DuckDB) was last
    written by it."""
    refused = ("train", "nothing trained")
    manifest_json, run_results = publish.load_build(Path(manifest).parent, *refused)
    name = table.rpartition(".")[2].lower()
    uids = [
        uid
        for uid, node in (manifest_json.get("nodes") or {}).items()
        if node.get("resource_type") == "model" and node.get("name", "").lower() == name
    ]
    publish.check_made_in_build(manifest_json, run_results, uids, *refused)
    if db_path is not None and Path(db_path).is_file():  # missing: load_training_data says so
        publish.check_database_written_by(Path(db_path), run_results)


def check_rows(df: pd.DataFrame, table: str) -> None:
    if len(df) == 0:
        raise UserError(
            f"table {table} is empty: no answered outreach to learn from "
            "(add outreach with responses and run dbt build)"
        )
    n_null = int(df[settings.LABEL_COLUMN].isna().sum())
    if n_null:
        raise UserError(
            f"{n_null} row(s) of {table} have a NULL {settings.LABEL_COLUMN}: the "
            "training set must hold answered contacts only"
        )
    if df["contact_id"].astype(str).duplicated().any():
        raise UserError(f"contact_id is not unique in {table}")
    n_null_lead = int(df["lead_id"].isna().sum())
    if n_null_lead:
        raise UserError(
            f"{n_null_lead} row(s) of {table} have a NULL lead_id: cross-validation "
            "folds are grouped by lead_id"
        )


def check_classes(data: TrainingData, table: str) -> None:
    """Enough of each class, and enough leads, for grouped k-fold cross-validation."""
    n_folds, y = settings.CV_FOLDS, data.y
    n, n_pos = len(y), int(y.sum())
    n_neg = n - n_pos
    if n_pos == 0 or n_neg == 0:
        raise UserError(
            f"{table} has only one class ({'all' if n_neg == 0 else 'no'} contacts "
            f"responded, {n} rows): cannot learn a response model"
        )
    if min(n_pos, n_neg) < MIN_CLASS_PER_FOLD * n_folds:
        raise UserError(
            f"too few examples: {n_pos} positives and {n_neg} negatives in {n} rows; "
            f"{n_folds}-fold cross-validation needs at least {MIN_CLASS_PER_FOLD} of each class per "
            f"fold ({MIN_CLASS_PER_FOLD * n_folds} in all)"
        )
    if data.leads < n_folds:
        raise UserError(
            f"too few leads: {data.leads} distinct lead_id in {n} rows; {n_folds}-fold "
            f"cross-validation grouped by lead_id needs at least {n_folds} leads"
        )


def unusable_features(X: pd.DataFrame) -> list[str]:
    """Warnings for features no tree can split on: NULL in every row, or one value in every row.
    Legitimate now and then (a category no training lead has), but most often a column lost
    in the input project (a renamed raw column, a join on the wrong key)."""
    warnings = []
    for name in X.columns:
        values = X[name]
        if values.isna().all():
            warnings.append(f"feature {name} is NULL in every training row")
        elif values.notna().all() and values.nunique() == 1:
            warnings.append(f"feature {name} is {values.iloc[0]:g} in every training row")
    return [
        f"WARNING: {w}: the model cannot use it (a column lost in the input project?)"
        for w in warnings
    ]


def check_folds(data: TrainingData, fold: np.ndarray) -> list[dict]:
    """Grouped folds are not equal-sized: check the class counts of every fold actually made."""
    n_folds = settings.CV_FOLDS
    per_fold = fold_class_counts(data.y, fold, n_folds)
    thin = [c for c in per_fold if min(c["positives"], c["negatives"]) < MIN_CLASS_PER_FOLD]
    if thin:
        shown = ", ".join(
            f"fold {c['fold']} has {c['positives']} positives / {c['negatives']} negatives"
            for c in thin
        )
        raise UserError(
            f"too few examples per fold: {n_folds}-fold cross-validation grouped by lead_id "
            f"({data.leads} leads, {len(data.y)} rows) needs at least {MIN_CLASS_PER_FOLD} "
            f"positives and {MIN_CLASS_PER_FOLD} negatives in every fold; {shown}"
        )
    return per_fold


# ---------------------------------------------------------------------------------------------
# Steps 2-4: leakage guard, cross-fit, deploy and calibrate
# ---------------------------------------------------------------------------------------------


def single_feature_auc(X: pd.DataFrame, y: np.ndarray, fold: np.ndarray, seed: int) -> dict:
    """Out-of-fold AUC of each feature alone, as max(auc, 1 - auc).

    Per fold a depth-3 decision tree (min 5 rows per leaf) is fitted on that one feature in the
    training folds and scored on the held-out fold, so non-monotonic relations count too. NULLs
    are replaced by (minimum - 1) of the feature, a value a tree can isolate: missingness that
    predicts the label is flagged as well. Constant features get 0.5.
    """
    from sklearn.tree import DecisionTreeClassifier

    out = {}
    for name in X.columns:
        v = X[name].to_numpy(dtype=float)
        finite = v[~np.isnan(v)]
        if finite.size == 0 or (finite.min() == finite.max() and not np.isnan(v).any()):
            out[name] = 0.5
            continue
        fill = (finite.min() - 1.0) if finite.size else 0.0
        v = np.where(np.isnan(v), fill, v).reshape(-1, 1)
        pred = np.zeros(len(y))
        for f in np.unique(fold):
            tr, te = fold != f, fold == f
            tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=5, random_state=seed)
            tree.fit(v[tr], y[tr])
            pred[te] = tree.predict_proba(v[te])[:, 1]
        auc = metrics.roc_auc(y, pred)
        out[name] = 0.5 if auc is None else max(auc, 1.0 - auc)
    return out


def single_feature_guard(data: TrainingData, fold: np.ndarray, opts: TrainOptions) -> dict:
    """Single-feature out-of-fold AUCs; refuses features above --max-feature-auc."""
    _progress(f"leakage guard: single-feature out-of-fold AUC of {data.X.shape[1]} features")
    single_auc = single_feature_auc(data.X, data.y, fold, opts.seed)
    leaky = {
        k: v
        for k, v in sorted(single_auc.items(), key=lambda kv: -kv[1])
        if v > opts.max_feature_auc
    }
    if leaky and not opts.allow_leaky:
        listed = ", ".join(f"{k} (AUC {v:.3f})" for k, v in leaky.items())
        raise UserError(
            f"possible label leakage: feature(s) predict the label alone above AUC "
            f"{opts.max_feature_auc}: {listed}. Check they are measured strictly "
            "before contact; pass --allow-leaky to train anyway"
        )
    return {
        "single_feature_auc": {k: round(v, 6) for k, v in single_auc.items()},
        "single_feature_auc_method": "OOF depth-3 tree on one feature, NULL -> min-1, max(auc, 1-auc)",
        "max_feature_auc": opts.max_feature_auc,
        "leaky_features": {k: round(v, 6) for k, v in leaky.items()},
    }


def allowed_features(opts: TrainOptions) -> tuple:
    """Strong features reviewed as known before contact: --allow-feature, plus the project's
    var leakage_allowed_features (where an input project records that review once)."""
    declared = project.default_var(opts.project_dir, "leakage_allowed_features") or []
    if isinstance(declared, str) or not all(isinstance(f, str) for f in declared):
        raise UserError(
            f"var leakage_allowed_features must be a list of feature names, got {declared!r}"
        )
    return tuple(dict.fromkeys([*opts.allow_features, *declared]))


def drop_column_guard(data: TrainingData, cross: ensemble.CrossFit, opts: TrainOptions) -> dict:
    """Gain shares and drop-column lifts (leakage.py); refuses suspicious features or groups."""
    _progress("leakage guard: gain shares and drop-column lifts")
    allowed = allowed_features(opts)
    report = leakage.leakage_report(
        data.X,
        data.y,
        cross.folds[0],
        opts.seed,
        cross.boosters[0],
        cross.oof_margin_by_repeat[0],
        allowed=allowed,
    )
    if report["refused"] and not opts.allow_leaky:
        listed = ", ".join(
            f"{k} (CV AUC {report['auc']:.3f} -> {v['auc_without']:.3f} without "
            f"it; {v['auc_alone']:.3f} alone)"
            for k, v in report["refused"].items()
        )
        raise UserError(
            f"possible label leakage: {listed}. Rule: {report['rule']}. Check these "
            "features are measured strictly before contact; if one is, declare it in the "
            "project's var leakage_allowed_features or pass --allow-feature NAME (or "
            "--allow-leaky to skip the guard)"
        )
    return {
        "gain_share": {k: round(v, 6) for k, v in report["gain_share"].items()},
        "drop_column": {
            k: {kk: (round(vv, 6) if isinstance(vv, float) else vv) for kk, vv in v.items()}
            for k, v in report["lifts"].items()
        },
        "suspicious": sorted(report["refused"]) + sorted(report["allowed"]),
        "allowed_features": list(allowed),
        "drop_column_rule": report["rule"],
    }


@dataclass
class FittedModel:
    cross: ensemble.CrossFit
    deployed: list  # the boosters that score leads (mean margin)
    calibration: cardmod.Calibration
    oof: pd.DataFrame  # lead_id, contact_id, fold, margin, raw_score, score, label

    @property
    def fold(self) -> np.ndarray:
        return self.cross.folds[0]


def fit_model(data: TrainingData, opts: TrainOptions) -> FittedModel:
    """Cross-fit, deploy the first repetition's fold boosters, Platt on the OOF margins."""
    cross = ensemble.fit_cross_fitted_ensemble(
        data.X,
        data.y,
        data.groups,
        opts.seed,
        settings.CV_FOLDS,
        opts.repeats,
        opts.search,
        progress=_progress,
    )
    margin = cross.oof_margin
    a, b = calibration.fit_platt_margin(margin, data.y)
    if a > 0:
        cov = calibration.platt_covariance(margin, a, b)
        cal = cardmod.Calibration(
            "platt",
            a,
            b,
            float(cov[0, 0]),
            float(cov[0, 1]),
            float(cov[1, 1]),
            calibration.CALIBRATION_VARIANCE_FACTOR,
        )
    else:  # no usable signal to stretch: keep the raw probability
        cal = cardmod.Calibration("none")
    score = calibration.apply_platt(margin, cal.a, cal.b)
    oof = pd.DataFrame(
        {
            "lead_id": data.frame["lead_id"].astype(str),
            "contact_id": data.frame["contact_id"].astype(str),
            "fold": cross.folds[0] + 1,
            "margin": margin,
            "raw_score": sigmoid(margin),
            "score": score,
            "label": data.y,
        }
    )
    return FittedModel(cross, cross.boosters[0], cal, oof)


def baseline_oof(X: pd.DataFrame, y: np.ndarray, fold: np.ndarray, seed: int) -> np.ndarray:
    """OOF probabilities of a median-imputed, standardised logistic regression (same folds)."""
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    Xv = X.to_numpy(dtype=float)
    keep = ~np.all(np.isnan(Xv), axis=0)  # all-NULL columns cannot be imputed
    Xv = Xv[:, keep]
    pred = np.zeros(len(y))
    for f in np.unique(fold):
        tr, te = fold != f, fold == f
        model = make_pipeline(
            SimpleImputer(strategy="median"),
            StandardScaler(),
            LogisticRegression(max_iter=2000, random_state=seed),
        )
        model.fit(Xv[tr], y[tr])
        pred[te] = model.predict_proba(Xv[te])[:, 1]
    return pred


# ---------------------------------------------------------------------------------------------
# Step 5: evaluate (what the card reports)
# ---------------------------------------------------------------------------------------------

INTERVAL_METHOD = (
    "95%: the union of the Wilson interval (the K out-of-fold rows' own noise) and "
    "a percentile bootstrap of the out-of-fold rows (which leads a fresh pool "
    "holds); see intervals.py and benchmarks/truth_harness.py"
)


def precision_rows(fitted: FittedModel, k_values) -> list[cardmod.RateAtK]:
    rows = intervals.precision_at_k_bootstrap(fitted.oof, k_values, "score", "label")
    return [
        cardmod.RateAtK(
            k=r["k"],
            n=r["n"],
            hits=r["hits"],
            precision=r["precision"],
            ci_low=r["low"],
            ci_high=r["high"],
            lift=r["lift"],
            min_score=r["min_score"],
            wilson_low=r["ci_low"],
            wilson_high=r["ci_high"],
            boot_low=r["boot_low"],
            boot_high=r["boot_high"],
        )
        for r in rows
    ]


def selection_threshold(
    oof: pd.DataFrame,
    cutoff: float | None,
    rule: str,
    target: float,
    reached: bool,
    note: str,
    expected_precision=None,
) -> cardmod.Threshold:
    """A card threshold from its cut-off: what the out-of-fold rows with score >= it show."""
    sel = oof[oof["score"] >= cutoff] if cutoff is not None else oof.iloc[:0]
    n, hits = len(sel), int(sel["label"].sum())
    low, high = metrics.wilson_interval(hits, n) if n else (None, None)
    return cardmod.Threshold(
        rule=rule,
        target_precision=float(target),
        reached=bool(reached),
        score=cutoff,
        contacts_selected=n,
        share_selected=n / len(oof),
        hits=hits,
        precision=hits / n if n else None,
        ci_low=low,
        ci_high=high,
        expected_responses=float(sel["score"].sum()),
        note=note,
        expected_precision=expected_precision,
    )


def choose_thresholds(fitted: FittedModel, target: float) -> list[cardmod.Threshold]:
    """The target threshold by the recommended rule (thresholds.py) and the conservative one."""
    cal = fitted.calibration
    rec = thresholds_mod.threshold_recommended(
        fitted.oof["margin"].to_numpy(), cal.a, cal.b, target
    )
    cons = metrics.threshold_for_target(fitted.oof, target, "score", "label", conservative=True)
    return [
        selection_threshold(
            fitted.oof,
            rec["score"],
            "target",
            target,
            rec["reached"],
            rec["rule"] + "; the margin pays for choosing the cut-off on the "
            "labels the calibration was fitted on",
            rec.get("expected_precision"),
        ),
        selection_threshold(
            fitted.oof,
            cons["score"],
            "conservative",
            target,
            cons["reached"],
            "lowest cut-off whose out-of-fold hits have a Wilson 95% lower bound >= the target",
        ),
    ]


@dataclass(frozen=True)
class PrecisionRules:
    """The project's rules on scores and observed precision, each with how it was set."""

    tiers: list  # cardmod.Tier, Low first
    tier_rule: str
    gates: cardmod.Gates
    target_precision: float
    target_rule: str


def at_base_rate(playbook_precision: float, base_rate: float) -> float:
    """A precision the LinkedIn playbook states at its base rate, carried to `base_rate`: the
    same odds ratio over the base rate, 2 significant digits. Between the base rate and 1, in
    the playbook's order (0.6 at 40% is 0.28 at 15% and 0.11 at 5%); above a ~90% base rate
    the rounding merges values, which resolve_rules refuses."""
    ratio = _odds(playbook_precision) / _odds(settings.PLAYBOOK_BASE_RATE)
    odds = ratio * _odds(base_rate)
    return float(f"{odds / (1 + odds):.2g}")


def _odds(p: float) -> float:
    return p / (1 - p)


def resolve_rules(opts: TrainOptions, base_rate: float) -> PrecisionRules:
    """Tiers, gates and target precision: each from its flag, else the project's var, else the
    playbook's carried to the base rate. Checked here, before any cross-validation runs."""
    derived = (
        f"derived: the LinkedIn playbook's at its {settings.PLAYBOOK_BASE_RATE:.0%} base rate, "
        f"carried to the base rate {base_rate:.3f} by odds"
    )

    def pick(given, flag: str, var: str, playbook: tuple):
        if given is not None:
            return given, flag
        configured = project.default_var(opts.project_dir, var)
        if configured is not None:
            return configured, f"var {var}"
        return [at_base_rate(p, base_rate) for p in playbook], derived

    tiers, tier_rule = pick(opts.tiers, "--tiers", "tier_min_scores", settings.PLAYBOOK_TIERS)
    gates, gate_rule = pick(opts.gates, "--gates", "rollout_gates", settings.PLAYBOOK_GATES)
    target, target_rule = pick(
        opts.target_precision,
        "--target-precision",
        "target_precision",
        (settings.PLAYBOOK_TARGET_PRECISION,),
    )
    bounds = _parse_bounds(tiers, tier_rule)
    proceed, recalibrate = _parse_gates(gates, gate_rule)
    (target,) = _numbers(target, f"target precision ({target_rule})", count=1)
    if not 0 < target < 1:
        raise UserError(f"target precision ({target_rule}) must be between 0 and 1, got {target}")
    labels = settings.TIER_LABELS
    return PrecisionRules(
        tiers=[cardmod.Tier(label, lo) for label, lo in zip(labels, (0.0, *bounds), strict=True)],
        tier_rule=tier_rule,
        gates=cardmod.Gates(proceed=proceed, recalibrate=recalibrate, rule=gate_rule),
        target_precision=target,
        target_rule=target_rule,
    )


def _numbers(value, source: str, count: int) -> list[float]:
    """`count` numbers from a flag's "a,b" text, a var's list or a single number."""
    items = value.split(",") if isinstance(value, str) else value
    items = items if isinstance(items, list | tuple) else [items]
    try:
        numbers = [float(v) for v in items]
    except (TypeError, ValueError):
        raise UserError(f"{source} must be {count} number(s), got {value!r}") from None
    if len(numbers) != count:
        raise UserError(f"{source} must be {count} number(s), got {value!r}")
    return numbers


def _parse_bounds(bounds, source: str) -> list[float]:
    n = len(settings.TIER_LABELS) - 1
    values = _numbers(bounds, f"tier bounds ({source})", count=n)
    if values != sorted(set(values)) or not values[0] > 0 or values[-1] >= 1:
        raise UserError(
            f"tier bounds ({source}) must be {n} strictly ascending scores between 0 and 1, "
            f"got {values}; pass --tiers or set the project's var tier_min_scores"
        )
    return values


def _parse_gates(gates, source: str) -> tuple[float, float]:
    proceed, recalibrate = _numbers(gates, f"gates ({source})", count=2)
    if not 0 < recalibrate <= proceed < 1:
        raise UserError(
            f"gates ({source}) must be PROCEED,RECALIBRATE with 0 < recalibrate <= proceed < 1, "
            f"got {[proceed, recalibrate]}; pass --gates or set the project's var rollout_gates"
        )
    return proceed, recalibrate


def fit_learning_curve(data: TrainingData, k_values, seed: int) -> cardmod.LearningCurve:
    _progress("learning curve: cross-validation at 25/50/75/100% of the training rows")
    k = max([k for k in k_values if k <= LEARNING_CURVE_K] or [min(k_values)])
    lc = learning_curve.learning_curve(
        data.X,
        data.y,
        data.groups,
        data.frame["lead_id"].astype(str).to_numpy(),
        data.frame["contact_id"].astype(str).to_numpy(),
        seed,
        k,
    )
    return cardmod.LearningCurve(
        points=[cardmod.LearningPoint(**row) for row in lc["table"]],
        auc_gain=lc["gain"]["gain"],
        auc_gain_low=lc["gain"]["low"],
        auc_gain_high=lc["gain"]["high"],
        reading=lc["reading"],
        rule=lc["rule"],
    )


def validation(
    data: TrainingData, fitted: FittedModel, opts: TrainOptions, details: dict
) -> cardmod.Validation:
    """The card's validation section: the cross-fitted out-of-fold numbers."""
    oof, y = fitted.oof, data.y
    raw, score = oof["raw_score"].to_numpy(), oof["score"].to_numpy()
    return cardmod.Validation(
        describes=(
            f"out-of-fold predictions of {opts.repeats} repetition(s) of {settings.CV_FOLDS}-"
            f"fold cross-validation: each row is scored by the mean margin of the "
            f"{opts.repeats} boosters that never saw it, each trained on 80% of the rows. "
            f"The deployed model is the same kind of average: the first repetition's "
            f"{settings.CV_FOLDS} fold boosters, calibrated by the Platt fit on these "
            f"out-of-fold margins"
        ),
        folds=settings.CV_FOLDS,
        fold_grouping=FOLD_GROUPING,
        fold_method=details["fold_method"],
        tie_rule=metrics.TIE_RULE,
        precision_at_k=precision_rows(fitted, opts.k_values),
        precision_at_fraction=[
            cardmod.RateAtK(**r)
            for r in metrics.precision_at_fractions(oof, FRACTIONS, "score", "label")
        ],
        roc_auc=metrics.roc_auc(y, score),
        brier_raw=metrics.brier(y, raw),
        brier_calibrated=metrics.brier(y, score),
        log_loss_raw=metrics.log_loss(y, raw),
        log_loss_calibrated=metrics.log_loss(y, score),
        calibration_bands=[
            cardmod.CalibrationBand(**b) for b in metrics.calibration_table(oof, "score", "label")
        ],
        interval_method=INTERVAL_METHOD,
        details=details,
    )


def cv_details(data: TrainingData, fitted: FittedModel, per_fold: list, opts: TrainOptions) -> dict:
    """Facts about the cross-validation a reader may want: folds, baseline, search."""
    one_contact = data.leads == len(data.y)
    details = {
        "fold_method": (
            "sklearn StratifiedKFold(shuffle=True, random_state=seed): one contact per lead"
            if one_contact
            else "sklearn StratifiedGroupKFold(shuffle=True, random_state=seed), groups = lead_id"
        )
        + ", rows sorted by contact_id; "
        f"repetition r uses seed + r ({opts.repeats} repetitions)",
        "repeats": opts.repeats,
        "leads": data.leads,
        "fold_counts": per_fold,
        "calibration_table_raw": metrics.calibration_table(fitted.oof, "raw_score", "label"),
        "calibration_bands": "equal-count deciles of the score ranked by the tie rule; band 1 = highest",
        "calibration_fitted_on": "out-of-fold margins (in-sample for the 2 Platt parameters)",
        "search": "none",
    }
    if opts.search:
        details["search"] = {
            "method": "grid, nested: chosen per fold booster on its training rows",
            "grid": SEARCH_GRID,
            "inner_folds": INNER_FOLDS,
            "inner_fold_grouping": FOLD_GROUPING,
            "criterion": "inner CV log loss",
            "booster_params": fitted.cross.params,
        }
    if opts.baseline:
        _progress("baseline: logistic regression on the same folds")
        pred = baseline_oof(data.X, data.y, fitted.fold, opts.seed)
        boof = fitted.oof.assign(score=pred)
        details["baseline_logreg"] = {
            "model": "median imputation + standardisation + LogisticRegression (sklearn, L2, C=1)",
            "precision_at_k": metrics.precision_at_k(boof, opts.k_values, "score", "label"),
            "precision_at_fraction": metrics.precision_at_fractions(
                boof, FRACTIONS, "score", "label"
            ),
            "roc_auc": metrics.roc_auc(data.y, pred),
            "brier": metrics.brier(data.y, pred),
        }
    return details


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------


def _fmt_pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def format_k_table(rows: list[cardmod.RateAtK], title: str = "Top K") -> str:
    lines = [
        f"{title:>10} | {'hits':>9} | {'precision':>9} | {'95% CI':>15} | {'lift':>5}",
        "-" * 60,
    ]
    for r in rows:
        label = f"{r.k}" if r.n == r.k else f"{r.k} (n={r.n})"
        if r.fraction is not None:
            label = f"{100 * r.fraction:g}% ({r.n})"
        lift = "n/a" if r.lift is None else f"{r.lift:.2f}"
        lines.append(
            f"{label:>10} | {r.hits:>4}/{r.n:<4} | {_fmt_pct(r.precision):>9} | "
            f"{_fmt_pct(r.ci_low):>6} - {_fmt_pct(r.ci_high):>6} | {lift:>5}"
        )
    return "\n".join(lines)


def format_threshold(t: cardmod.Threshold, name: str, calibrated: bool = True) -> str:
    """One line per threshold. expected responses = sum of the (calibrated) scores of the
    selection: a point prediction. The range printed after it is the observed precision's 95%
    Wilson interval times the number of contacts selected (what the observed hit rate
    supports), not an interval for the expectation."""
    if t.score is None:
        return f"{name}: no rows"
    n = t.contacts_selected
    head = f"{name} (target precision {_fmt_pct(t.target_precision)}, rule: {t.note}): "
    if not t.reached:
        head += "NOT reached; best cut-off instead: "
    return (
        head + f"score >= {t.score:.4f} selects {n} contacts ({_fmt_pct(t.share_selected)}"
        f" of the out-of-fold rows), {t.hits} responded, precision {_fmt_pct(t.precision)} "
        f"(95% CI {_fmt_pct(t.ci_low)} - {_fmt_pct(t.ci_high)}); expected responses "
        f"{t.expected_responses:.1f} (sum of {'calibrated' if calibrated else 'uncalibrated'} scores); "
        f"at the observed precision's 95% interval: {t.ci_low * n:.1f} - "
        f"{t.ci_high * n:.1f} responses"
    )


# ---------------------------------------------------------------------------------------------
# Step 6: the card and the printed report
# ---------------------------------------------------------------------------------------------


def build_card(
    data: TrainingData,
    fitted: FittedModel,
    valid: cardmod.Validation,
    guard: dict,
    curve: cardmod.LearningCurve,
    rules: PrecisionRules,
    opts: TrainOptions,
) -> cardmod.ModelCard:
    import xgboost as xgb

    y, fao = data.y, pd.to_datetime(data.frame["feature_as_of"])
    card = cardmod.ModelCard(
        name=Path(opts.out).resolve().name,
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        features=data.features,
        training=cardmod.Training(
            table=opts.table,
            rows=len(y),
            positives=int(y.sum()),
            leads=data.leads,
            base_rate=float(y.mean()),
            trained_from=None if fao.isna().all() else fao.min().isoformat(),
            trained_through=None if fao.isna().all() else fao.max().isoformat(),
            data_fingerprint=data_fingerprint(data.frame, [c[0] for c in data.columns]),
        ),
        model=cardmod.Model(
            members=[booster_file(i) for i in range(len(fitted.deployed))],
            params=xgb_params(opts.seed),
            n_estimators=N_ESTIMATORS,
            seed=int(opts.seed),
            xgboost_version=xgb.__version__,
            params_source=(
                "grid search (nested, per fold booster; see validation.details.search)"
                if opts.search
                else "fixed defaults"
            ),
        ),
        validation=valid,
        calibration=fitted.calibration,
        thresholds=choose_thresholds(fitted, rules.target_precision),
        tiers=rules.tiers,
        k_values=list(opts.k_values),
        gates=rules.gates,
        leakage={**guard, "allow_leaky": bool(opts.allow_leaky)},
        learning_curve=curve,
        tier_rule=rules.tier_rule,
        target_rule=rules.target_rule,
    )
    card.check()
    return card


def report(card: cardmod.ModelCard, version: str, echo) -> None:
    """The training report on stdout: what the card says, in the order a reader needs it."""
    t, v = card.training, card.validation
    echo(
        f"Trained {version} on {t.rows} contacts ({t.positives} responded, base rate "
        f"{_fmt_pct(t.base_rate)}, {t.leads} leads), {len(card.features)} features, "
        f"{v.folds}-fold CV x {v.details['repeats']} grouped by lead_id, seed {card.model.seed}; "
        f"deployed: the mean of {len(card.model.members)} fold boosters"
    )
    echo("")
    echo(
        "Cross-validated precision at K (out-of-fold, calibrated score; ties: "
        + metrics.TIE_RULE
        + ")"
    )
    echo(format_k_table(v.precision_at_k))
    echo(f"Interval: {v.interval_method}")
    echo("")
    echo("Top fraction of contacts:")
    echo(format_k_table(v.precision_at_fraction, "Top"))
    if "baseline_logreg" in v.details:
        echo("")
        echo(format_baseline(v, v.details["baseline_logreg"]))
    echo("")
    echo(
        f"ROC AUC {v.roc_auc:.3f}; Brier {v.brier_raw:.4f} raw -> {v.brier_calibrated:.4f} "
        f"calibrated ({card.calibration.method}; log loss {v.log_loss_raw:.4f} -> "
        f"{v.log_loss_calibrated:.4f})"
    )
    for th, name in (
        (card.threshold("target"), "Threshold"),
        (card.threshold("conservative"), "Conservative threshold"),
    ):
        echo(format_threshold(th, name, card.calibration.method != "none"))
    curve = card.learning_curve
    echo(
        f"Learning curve (CV AUC at 25/50/75/100% of the rows: "
        f"{' / '.join(f'{p.roc_auc:.3f}' for p in curve.points)}): {curve.reading} "
        f"(gain {curve.auc_gain:+.3f}, 90% interval {curve.auc_gain_low:+.3f} to {curve.auc_gain_high:+.3f})"
    )
    echo(
        f"Tiers: {', '.join(f'{x.label} >= {x.min_score:g}' for x in card.tiers)} ({card.tier_rule})"
    )
    g = card.gates
    echo(
        f"Rollout gates on observed precision: proceed >= {g.proceed:g}, recalibrate >= "
        f"{g.recalibrate:g}, else stop ({g.rule or 'not recorded'}); thresholds' target "
        f"precision {card.threshold('target').target_precision:g} ({card.target_rule or 'not recorded'})"
    )
    if t.rows < SMALL_DATA_ROWS:
        widest = max(v.precision_at_k, key=lambda r: r.ci_high - r.ci_low)
        echo("")
        echo(
            f"WARNING: small training set ({t.rows} rows < {SMALL_DATA_ROWS}): the estimates are "
            f"uncertain; e.g. top {widest.k} precision {_fmt_pct(widest.precision)} has a 95% "
            f"interval {_fmt_pct(widest.ci_low)} - {_fmt_pct(widest.ci_high)} "
            f"({100 * (widest.ci_high - widest.ci_low):.0f} points wide)"
        )
    if card.leakage.get("leaky_features") or card.leakage.get("suspicious"):
        echo(
            "WARNING: trained despite leakage-guard findings (allowed by --allow-leaky, "
            "--allow-feature or the project's var leakage_allowed_features): "
            + ", ".join(
                [*card.leakage.get("leaky_features", {}), *card.leakage.get("suspicious", [])]
            )
        )


def format_baseline(v: cardmod.Validation, bl: dict) -> str:
    lines = [
        f"Baseline logistic regression (same folds): ROC AUC {bl['roc_auc']:.3f} vs XGBoost "
        f"{v.roc_auc:.3f}",
        f"{'':>10} | {'XGBoost':>8} | {'LogReg':>8}",
    ]
    for xr, br in zip(
        v.precision_at_k + v.precision_at_fraction,
        bl["precision_at_k"] + bl["precision_at_fraction"],
        strict=True,
    ):
        lab = f"top {100 * xr.fraction:g}%" if xr.fraction is not None else f"top {xr.k}"
        lines.append(f"{lab:>10} | {_fmt_pct(xr.precision):>8} | {_fmt_pct(br['precision']):>8}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Command
# ---------------------------------------------------------------------------------------------


def _parse_k(text) -> list[int]:
    if isinstance(text, (list, tuple)):
        ks = [int(k) for k in text]
    else:
        try:
            ks = [int(k) for k in str(text).split(",") if k.strip()]
        except ValueError as exc:
            raise UserError(f"--k-values must be comma-separated integers, got {text!r}") from exc
    if not ks or any(k <= 0 for k in ks):
        raise UserError(f"--k-values must be positive integers, got {text!r}")
    return ks


def check_options(opts: TrainOptions) -> TrainOptions:
    if opts.target_precision is not None and not 0 < opts.target_precision < 1:
        raise UserError(f"--target-precision must be between 0 and 1, got {opts.target_precision}")
    if opts.repeats < 1:
        raise UserError(f"--repeats must be at least 1, got {opts.repeats}")
    # numpy's and XGBoost's seed range; repetition r uses seed + r
    if not 0 <= opts.seed <= 2**32 - opts.repeats:
        raise UserError(
            f"--seed must be between 0 and {2**32 - opts.repeats} "
            f"(2^32 - --repeats), got {opts.seed}"
        )
    tiers = None if opts.tiers is None else tuple(_parse_bounds(opts.tiers, "--tiers"))
    gates = None if opts.gates is None else _parse_gates(opts.gates, "--gates")
    k_values = tuple(_parse_k(opts.k_values))
    check_artifact_folder(Path(opts.out))
    return dataclasses.replace(opts, k_values=k_values, tiers=tiers, gates=gates)


def check_artifact_folder(out: Path) -> None:
    """--out before any training: a new or empty folder, or an artifact (its SHA256SUMS), whose
    files the new model replaces; never a file or a folder of other things to write into."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file: the artifact is a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / SUMS_FILE).is_file():
        raise UserError(
            f"--out {out} holds other files and no {SUMS_FILE}: it is not a model "
            "artifact; give a new folder or an artifact to replace"
        )


def train(db_path=None, echo=print, **options) -> cardmod.ModelCard:
    """Train and write the artifact; returns the model card. Raises UserError on refusals.
    options: the fields of TrainOptions."""
    t0 = time.monotonic()
    opts = check_options(TrainOptions(db_path=db_path, **options))
    data = read_training_data(opts)
    rules = resolve_rules(opts, float(data.y.mean()))
    for warning in unusable_features(data.X):
        _progress(warning)
    first_folds = make_folds(data.y, settings.CV_FOLDS, opts.seed, data.groups)
    per_fold = check_folds(data, first_folds)
    guard = single_feature_guard(data, first_folds, opts)
    fitted = fit_model(data, opts)
    guard.update(drop_column_guard(data, fitted.cross, opts))
    valid = validation(data, fitted, opts, cv_details(data, fitted, per_fold, opts))
    curve = fit_learning_curve(data, opts.k_values, opts.seed)
    card = build_card(data, fitted, valid, guard, curve, rules, opts)
    reference = {"feature_reference": feature_reference_rows(data.X)}
    version = save_artifact(opts.out, fitted.deployed, card, oof=fitted.oof, tables=reference)
    report(card, version, echo)
    echo("")
    echo(f"Artifact written to {Path(opts.out)} ({time.monotonic() - t0:.1f}s)")
    return card


def run(args) -> int:
    project_dir = args.project_dir
    train(
        db_path=args.db or settings.warehouse_path(project_dir),
        table=args.table,
        out=args.out or project.model_dir(project_dir),
        seed=args.seed,
        k_values=args.k_values,
        target_precision=args.target_precision,
        tiers=args.tiers,
        gates=args.gates,
        repeats=args.repeats,
        max_feature_auc=args.max_feature_auc,
        allow_leaky=args.allow_leaky,
        allow_features=tuple(args.allow_feature),
        baseline=args.baseline,
        search=args.search,
        manifest=(args.target_path or project.target_path(project_dir)) / "manifest.json",
        target=args.target,
        project_dir=project_dir,
    )
    return 0
