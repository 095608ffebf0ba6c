"""`leadscore train`: cross-validate and train the XGBoost scorer from lead_training_set.

Steps:
 1. Read the training table from the DuckDB warehouse (read-only). Features = every column
    except settings.TRAINING_KEY_COLUMNS and settings.LABEL_COLUMN, in table order; each
    feature's label = the first sentence of its column comment (text before the first ". ").
 2. Refuse (UserError, nothing written) on: missing table/columns, empty table, NULL labels or
    lead_ids, non-numeric features, one class only, fewer than 10 positives or negatives in any
    (grouped) fold, leaky features (single-feature out-of-fold AUC above --max-feature-auc,
    unless --allow-leaky).
 3. Stratified k-fold CV grouped by lead_id (StratifiedGroupKFold, settings.CV_FOLDS, seeded;
    rows sorted by contact_id first): all contacts of one lead fall in the same fold, so a lead
    contacted twice is never both trained on and evaluated (with one contact per lead this is
    plain StratifiedKFold). Fixed XGBoost defaults (no
    hyper-parameter search), out-of-fold predictions, Platt calibration fitted on the OOF logits
    (kept only when it lowers the OOF Brier score).
 4. Final model on all rows; write the artifact (booster.ubj, model_card.json,
    oof_predictions.csv) and print the precision@K table, AUC, Brier and the thresholds.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from leadscore import metrics, project, settings
from leadscore import card as cardmod
from leadscore.artifact import booster_file, save_artifact, sigmoid
from leadscore.errors import UserError

DEFAULT_TABLE = "lead_training_set"
MIN_CLASS_PER_FOLD = 10
SMALL_DATA_ROWS = 1000
FRACTIONS = (0.01, 0.05, 0.10, 0.20)

# Fixed small-data defaults (no search). nthread is fixed so the booster is byte-reproducible.
XGB_PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "logloss",
    "tree_method": "hist",
    "max_depth": 3,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 2,
    "nthread": 1,
}
N_ESTIMATORS = 200

NUMERIC_TYPES = {"DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT",
                 "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "BOOLEAN"}


def _is_numeric(t: str) -> bool:
    t = t.upper()
    return t in NUMERIC_TYPES or t.startswith("DECIMAL")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    project.add_argument(parser)
    parser.add_argument("--db", type=Path, default=None,
                        help="DuckDB warehouse (default: $LEADSCORE_DB or the project's build database)")
    parser.add_argument("--target", default=None,
                        help="read the table through dbt from this profile target (e.g. spark) "
                             "instead of the DuckDB file")
    parser.add_argument("--table", default=DEFAULT_TABLE,
                        help=f"training table, optionally schema-qualified (default {DEFAULT_TABLE})")
    parser.add_argument("--target-path", type=Path, default=None,
                        help="dbt target folder of the build whose manifest documents the "
                             "features (default: <project>/target)")
    parser.add_argument("--out", type=Path, default=None,
                        help="artifact directory to write (default: the project's var model_dir, "
                             "which its next build scores with)")
    parser.add_argument("--seed", type=int, default=settings.SEED)
    parser.add_argument("--k-values", default=",".join(map(str, settings.K_VALUES)),
                        help="comma-separated K for precision@K (default %(default)s)")
    parser.add_argument("--target-precision", type=float, default=settings.TARGET_PRECISION)
    parser.add_argument("--max-feature-auc", type=float, default=0.9,
                        help="refuse features whose single-feature OOF AUC exceeds this (leakage)")
    parser.add_argument("--allow-leaky", action="store_true",
                        help="train anyway when the leakage guard triggers (recorded in the card)")
    parser.add_argument("--baseline", action="store_true",
                        help="also cross-validate a logistic-regression baseline on the same folds")
    parser.add_argument("--search", action="store_true",
                        help="small hyper-parameter grid search with nested CV (inner 3-fold "
                             "log loss picks the parameters of each outer fold; slower)")


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
    if not db_path.is_file():
        raise UserError(f"warehouse not found: {db_path} (run dbt build first: `leadscore build`)")
    schema, _, name = table.rpartition(".")
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open warehouse {db_path} read-only: {exc}") from exc
    try:
        sql = ("select schema_name, column_name, data_type, comment, column_index "
               "from duckdb_columns() where database_name = current_database() "
               "and lower(table_name) = lower(?)")
        params = [name]
        if schema:
            sql += " and lower(schema_name) = lower(?)"
            params.append(schema)
        cols = con.execute(sql + " order by schema_name, column_index", params).fetchall()
        if not cols:
            raise UserError(f"table {table} not found in {db_path} "
                            "(run dbt build first: `leadscore build`)")
        schemas = sorted({c[0] for c in cols})
        if len(schemas) > 1:
            if "main" in schemas:
                schemas = ["main"]
            else:
                raise UserError(f"table {name} exists in several schemas ({', '.join(schemas)}): "
                                "pass --table schema.table")
        cols = [c for c in cols if c[0] == schemas[0]]
        columns = [(c[1], str(c[2]), c[3]) for c in cols]
        names = [c[0] for c in columns]
        required = [*settings.TRAINING_KEY_COLUMNS, settings.LABEL_COLUMN]
        missing = [c for c in required if c not in names]
        if missing:
            raise UserError(f"table {table} lacks required column(s): {', '.join(missing)} "
                            f"(expected keys {', '.join(settings.TRAINING_KEY_COLUMNS)} "
                            f"and label {settings.LABEL_COLUMN})")
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
        return dbt_read.read_table(table, target, target_path=Path(scratch), project_dir=project_dir)


def feature_docs(manifest_path: Path, table: str) -> dict[str, dict]:
    """Per feature column: its YAML description and meta, from the dbt manifest of the build.

    The columns are documented on the input project's model that provides the table
    (input_<table>, e.g. input_lead_training_set), or on <table> itself."""
    manifest_path = Path(manifest_path)
    if not manifest_path.is_file():
        raise UserError(f"dbt manifest not found: {manifest_path} (run `leadscore build` first; "
                        "training reads the feature documentation from it)")
    nodes = json.loads(manifest_path.read_text(encoding="utf-8")).get("nodes", {})
    name = table.rpartition(".")[2].lower()
    for wanted in (f"input_{name}", name):
        for node in nodes.values():
            if node.get("resource_type") == "model" and node.get("name", "").lower() == wanted \
                    and node.get("columns"):
                return {c.lower(): col for c, col in node["columns"].items()}
    return {}


def card_features(feats, docs: dict) -> list:
    """The card's feature list; refuses features whose YAML does not declare
    meta.known_before_contact (the leakage guard's first line)."""
    undeclared = [n for n, _, _ in feats
                  if not isinstance((docs.get(n.lower()) or {}).get("meta", {}).get("known_before_contact"), bool)]
    if undeclared:
        raise UserError(
            f"{len(undeclared)} feature(s) do not declare meta.known_before_contact in the feature "
            f"YAML: {', '.join(undeclared[:10])}{' ...' if len(undeclared) > 10 else ''}. Declare "
            "known_before_contact: true for every feature measured before the contact")
    after = [n for n, _, _ in feats if docs[n.lower()]["meta"]["known_before_contact"] is False]
    if after:
        raise UserError(f"feature(s) declared known_before_contact: false cannot be trained on "
                        f"(they are measured after the contact: leakage): {', '.join(after)}")
    out = []
    for n, t, comment in feats:
        doc = docs[n.lower()]
        label = doc.get("meta", {}).get("label") or first_sentence(doc.get("description") or comment, n)
        out.append(cardmod.Feature(name=n, type=str(t).upper(), label=label, known_before_contact=True))
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
# Modelling
# ---------------------------------------------------------------------------------------------

FOLD_GROUPING = "lead_id"


def make_folds(y: np.ndarray, n_folds: int, seed: int, groups) -> np.ndarray:
    """Fold number (0..n_folds-1) per row, stratified on y and grouped: all rows of one group
    (lead_id) share a fold. Deterministic given the seed and the row order (canonical order:
    sorted by contact_id). Needs at least n_folds distinct groups.

    When every lead has a single contact, grouping changes nothing and plain StratifiedKFold
    is used (the same folds as before grouping existed, so published numbers stay
    comparable); otherwise StratifiedGroupKFold."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    groups = np.asarray(groups).astype(str)
    fold = np.empty(len(y), dtype=int)
    if len(np.unique(groups)) == len(groups):
        splits = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(
            np.zeros(len(y)), y)
    else:
        splits = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(
            np.zeros(len(y)), y, groups)
    for i, (_, test) in enumerate(splits):
        fold[test] = i
    return fold


def fold_class_counts(y: np.ndarray, fold: np.ndarray, n_folds: int) -> list[dict]:
    """Rows, positives and negatives of each held-out fold (fold numbers 1..n_folds)."""
    return [{"fold": f + 1, "rows": int((fold == f).sum()), "positives": int(y[fold == f].sum()),
             "negatives": int((fold == f).sum() - y[fold == f].sum())} for f in range(n_folds)]


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
        if finite.size == 0 or finite.min() == finite.max() and not np.isnan(v).any():
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


def xgb_params(seed: int, overrides: dict | None = None) -> dict:
    return {**XGB_PARAMS, **(overrides or {}), "seed": int(seed)}


def fit_booster(X: pd.DataFrame, y: np.ndarray, seed: int, overrides: dict | None = None):
    import xgboost as xgb

    dtrain = xgb.DMatrix(X.to_numpy(dtype=float), label=y, feature_names=list(X.columns),
                         missing=np.nan, nthread=XGB_PARAMS["nthread"])
    return xgb.train(xgb_params(seed, overrides), dtrain, num_boost_round=N_ESTIMATORS)


# --search: a deliberately small grid (12 settings); the rest of XGB_PARAMS stays fixed.
SEARCH_GRID = [{"max_depth": d, "learning_rate": lr, "min_child_weight": m}
               for d in (2, 3, 4) for lr in (0.03, 0.1) for m in (1, 5)]
INNER_FOLDS = 3


def select_params(X: pd.DataFrame, y: np.ndarray, seed: int, groups) -> tuple[dict, float]:
    """Grid setting with the lowest inner 3-fold CV log loss on (X, y) (first one on a tie);
    the inner folds are grouped by lead too."""
    inner = make_folds(y, INNER_FOLDS, seed, groups)
    best, best_loss = None, math.inf
    for overrides in SEARCH_GRID:
        pred = np.zeros(len(y))
        for f in range(INNER_FOLDS):
            tr, te = inner != f, inner == f
            pred[te] = predict(fit_booster(X[tr], y[tr], seed, overrides), X[te])
        loss = metrics.log_loss(y, pred)
        if loss < best_loss - 1e-12:
            best, best_loss = overrides, loss
    return best, best_loss


def predict(booster, X: pd.DataFrame) -> np.ndarray:
    import xgboost as xgb

    d = xgb.DMatrix(X.to_numpy(dtype=float), feature_names=list(X.columns), missing=np.nan,
                    nthread=XGB_PARAMS["nthread"])
    return booster.predict(d)


def predict_margin(booster, X: pd.DataFrame) -> np.ndarray:
    """The booster's margin (log-odds) per row, as the deployed scorer computes it."""
    x = X.to_numpy(dtype=np.float32)
    return booster.inplace_predict(x, predict_type="margin", missing=np.nan).astype(np.float64)


def fit_platt(margin: np.ndarray, y: np.ndarray, iters: int = 100) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of p = sigmoid(a * margin + b) by Newton's method."""
    x = np.asarray(margin, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(a * x + b)))
        w = np.maximum(p * (1 - p), 1e-12)
        g = np.array([np.sum((p - y) * x), np.sum(p - y)])
        h = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        h += np.eye(2) * 1e-9
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(a), float(b)


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
        model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                              LogisticRegression(max_iter=2000, random_state=seed))
        model.fit(Xv[tr], y[tr])
        pred[te] = model.predict_proba(Xv[te])[:, 1]
    return pred


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------

def _fmt_pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def format_k_table(rows: list[dict], title: str = "Top K") -> str:
    lines = [f"{title:>10} | {'hits':>9} | {'precision':>9} | {'95% CI':>15} | {'lift':>5}",
             "-" * 60]
    for r in rows:
        label = f"{r['k']}" if r["n"] == r["k"] else f"{r['k']} (n={r['n']})"
        if "fraction" in r:
            label = f"{100 * r['fraction']:g}% ({r['n']})"
        lift = "n/a" if r["lift"] is None else f"{r['lift']:.2f}"
        lines.append(f"{label:>10} | {r['hits']:>4}/{r['n']:<4} | {_fmt_pct(r['precision']):>9} | "
                     f"{_fmt_pct(r['ci_low']):>6} - {_fmt_pct(r['ci_high']):>6} | {lift:>5}")
    return "\n".join(lines)


def format_threshold(t: dict, name: str, calibrated: bool = True) -> str:
    """One line per threshold. expected responses = sum of the (calibrated) scores of the
    selection: a point prediction, no interval. The range printed after it is the observed
    precision's 95% Wilson interval times the number of contacts selected (what the observed
    hit rate supports), not an interval for the expectation."""
    if t["score"] is None:
        return f"{name}: no rows"
    n = t["contacts_selected"]
    head = (f"{name} (target precision {_fmt_pct(t['target_precision'])}"
            f"{', on the 95% lower bound' if t['criterion'] == 'wilson_lower_bound' else ''}): ")
    if not t["reached"]:
        head += "NOT reached; best cut-off instead: "
    return (head + f"score >= {t['score']:.4f} selects {n} contacts ({_fmt_pct(t['share_selected'])}"
            f" of the out-of-fold rows), {t['hits']} responded, precision {_fmt_pct(t['precision'])} "
            f"(95% CI {_fmt_pct(t['ci_low'])} - {_fmt_pct(t['ci_high'])}); expected responses "
            f"{t['expected_responses']:.1f} (sum of {'calibrated' if calibrated else 'uncalibrated'} scores); "
            f"at the observed precision's 95% interval: {t['ci_low'] * n:.1f} - "
            f"{t['ci_high'] * n:.1f} responses")


def _card_threshold(t: dict, rule: str, note: str):
    return cardmod.Threshold(
        rule=rule, note=note, **{k: t[k] for k in (
            "target_precision", "reached", "score", "contacts_selected", "share_selected", "hits",
            "precision", "ci_low", "ci_high", "expected_responses")})


THRESHOLD_SELECTION_NOTE = (
    "chosen on the same out-of-fold predictions it is evaluated on: optimistic; the conservative "
    "variant and phase-1 validation guard against it")


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


def train(db_path, table=DEFAULT_TABLE, out=settings.DEFAULT_ARTIFACT_DIR, seed=settings.SEED,
          k_values=settings.K_VALUES, target_precision=settings.TARGET_PRECISION,
          max_feature_auc=0.9, allow_leaky=False, baseline=False, search=False,
          manifest=None, echo=print, target=None,
          project_dir=settings.PROJECT_ROOT) -> cardmod.ModelCard:
    """Train and write the artifact; returns the model card. Raises UserError on refusals."""
    t0 = time.monotonic()
    manifest = Path(manifest) if manifest else settings.PROJECT_ROOT / "target" / "manifest.json"
    k_values = _parse_k(k_values)
    if not 0 < target_precision < 1:
        raise UserError(f"--target-precision must be between 0 and 1, got {target_precision}")
    n_folds = settings.CV_FOLDS
    label_col = settings.LABEL_COLUMN

    if target is None:
        _progress(f"reading {table} from {db_path}")
        df, columns = load_training_data(Path(db_path), table)
    else:
        _progress(f"reading {table} from dbt target {target}")
        df, columns = load_training_data_from_target(table, target, project_dir)
    feats = feature_columns(columns)
    if not feats:
        raise UserError(f"table {table} has no feature columns")
    documented_features = card_features(feats, feature_docs(manifest, table))
    bad = [f"{n} ({t})" for n, t, _ in feats if not _is_numeric(t)]
    if bad:
        raise UserError(f"non-numeric feature column(s) in {table}: {', '.join(bad)}; "
                        "features must be numeric (DOUBLE), encode categories in the dbt models")
    if len(df) == 0:
        raise UserError(f"table {table} is empty: no answered outreach to learn from "
                        "(add outreach with responses and run dbt build)")
    n_null = int(df[label_col].isna().sum())
    if n_null:
        raise UserError(f"{n_null} row(s) of {table} have a NULL {label_col}: the training set "
                        "must hold answered contacts only")
    if df["contact_id"].astype(str).duplicated().any():
        raise UserError(f"contact_id is not unique in {table}")
    n_null_lead = int(df["lead_id"].isna().sum())
    if n_null_lead:
        raise UserError(f"{n_null_lead} row(s) of {table} have a NULL lead_id: cross-validation "
                        "folds are grouped by lead_id")

    # Canonical row order: folds and the fingerprint do not depend on the table's physical order.
    df = df.assign(_cid=df["contact_id"].astype(str)).sort_values("_cid", kind="mergesort") \
        .drop(columns="_cid").reset_index(drop=True)
    y = df[label_col].astype(bool).astype(int).to_numpy()
    n, n_pos = len(y), int(y.sum())
    n_neg = n - n_pos
    if n_pos == 0 or n_neg == 0:
        raise UserError(f"{table} has only one class ({'all' if n_neg == 0 else 'no'} contacts "
                        f"responded, {n} rows): cannot learn a response model")
    if min(n_pos, n_neg) < MIN_CLASS_PER_FOLD * n_folds:
        raise UserError(
            f"too few examples: {n_pos} positives and {n_neg} negatives in {n} rows; "
            f"{n_folds}-fold cross-validation needs at least {MIN_CLASS_PER_FOLD} of each class per "
            f"fold ({MIN_CLASS_PER_FOLD * n_folds} in all)")

    groups = df["lead_id"].astype(str).to_numpy()
    n_leads = len(np.unique(groups))
    if n_leads < n_folds:
        raise UserError(f"too few leads: {n_leads} distinct lead_id in {n} rows; {n_folds}-fold "
                        f"cross-validation grouped by lead_id needs at least {n_folds} leads")

    names = [f[0] for f in feats]
    X = df[names].astype(float)
    fold = make_folds(y, n_folds, seed, groups)
    # Grouped folds are not equal-sized: check the class counts of every fold actually made.
    per_fold = fold_class_counts(y, fold, n_folds)
    thin = [c for c in per_fold if min(c["positives"], c["negatives"]) < MIN_CLASS_PER_FOLD]
    if thin:
        shown = ", ".join(f"fold {c['fold']} has {c['positives']} positives / {c['negatives']} "
                          f"negatives" for c in thin)
        raise UserError(
            f"too few examples per fold: {n_folds}-fold cross-validation grouped by lead_id "
            f"({n_leads} leads, {n} rows) needs at least {MIN_CLASS_PER_FOLD} positives and "
            f"{MIN_CLASS_PER_FOLD} negatives in every fold; {shown}")

    _progress(f"leakage guard: single-feature out-of-fold AUC of {len(names)} features")
    single_auc = single_feature_auc(X, y, fold, seed)
    leaky = {k: v for k, v in sorted(single_auc.items(), key=lambda kv: -kv[1]) if v > max_feature_auc}
    if leaky and not allow_leaky:
        listed = ", ".join(f"{k} (AUC {v:.3f})" for k, v in leaky.items())
        raise UserError(f"possible label leakage: feature(s) predict the label alone above AUC "
                        f"{max_feature_auc}: {listed}. Check they are measured strictly before "
                        "contact; pass --allow-leaky to train anyway")
    if leaky:
        _progress("WARNING: training with leaky-looking features: "
                  + ", ".join(f"{k} (AUC {v:.3f})" for k, v in leaky.items()))

    margin = np.zeros(n)
    per_fold_params = []
    for f in range(n_folds):
        tf = time.monotonic()
        tr, te = fold != f, fold == f
        overrides = None
        if search:  # nested: the outer test fold never influences its own parameters
            overrides, inner_loss = select_params(X[tr], y[tr], seed, groups[tr])
            per_fold_params.append({**overrides, "inner_log_loss": inner_loss})
        booster = fit_booster(X[tr], y[tr], seed, overrides)
        margin[te] = predict_margin(booster, X[te])
        fold_auc = metrics.roc_auc(y[te], margin[te])
        _progress(f"fold {f + 1}/{n_folds}: {int(tr.sum())} train / {int(te.sum())} test rows, "
                  f"AUC {fold_auc:.3f}{f' params {overrides}' if search else ''} "
                  f"({time.monotonic() - tf:.1f}s)")

    raw = sigmoid(margin)
    a, b = fit_platt(margin, y)
    cal = sigmoid(a * margin + b)
    brier_raw, brier_cal = metrics.brier(y, raw), metrics.brier(y, cal)
    ll_raw, ll_cal = metrics.log_loss(y, raw), metrics.log_loss(y, cal)
    use_platt = a > 0 and brier_cal < brier_raw
    calibration = (cardmod.Calibration("platt", a, b) if use_platt else cardmod.Calibration("none"))
    score = cal if use_platt else raw.copy()

    oof = pd.DataFrame({"lead_id": df["lead_id"].astype(str), "contact_id": df["contact_id"].astype(str),
                        "fold": fold + 1, "raw_score": raw, "score": score, "label": y})
    pak = metrics.precision_at_k(oof, k_values, "score", "label")
    paf = metrics.precision_at_fractions(oof, FRACTIONS, "score", "label")
    auc = metrics.roc_auc(y, score)
    thr = metrics.threshold_for_target(oof, target_precision, "score", "label")
    thr_c = metrics.threshold_for_target(oof, target_precision, "score", "label", conservative=True)

    cv = {"folds": n_folds, "fold_grouping": FOLD_GROUPING,
          "fold_method": ("sklearn StratifiedKFold(shuffle=True, random_state=seed): one contact per lead"
                          if n_leads == len(y) else
                          "sklearn StratifiedGroupKFold(shuffle=True, random_state=seed), groups = lead_id")
                         + ", rows sorted by contact_id",
          "leads": n_leads, "fold_counts": per_fold,
          "tie_rule": metrics.TIE_RULE, "precision_at_k": pak,
          "precision_at_fraction": paf, "roc_auc": auc, "roc_auc_raw": metrics.roc_auc(y, raw),
          "brier_raw": brier_raw, "brier_calibrated": brier_cal if use_platt else brier_raw,
          "brier_platt_candidate": brier_cal, "log_loss_raw": ll_raw,
          "log_loss_calibrated": ll_cal if use_platt else ll_raw, "log_loss_platt_candidate": ll_cal,
          "calibration_table_raw": metrics.calibration_table(oof, "raw_score", "label"),
          "calibration_table_calibrated": metrics.calibration_table(oof, "score", "label"),
          "calibration_bands": "equal-count deciles of the score ranked by the tie rule; band 1 = highest",
          "calibration_fitted_on": "out-of-fold predictions (in-sample for the 2 Platt parameters)",
          "single_feature_auc": {k: round(v, 6) for k, v in single_auc.items()},
          "single_feature_auc_method": "OOF depth-3 tree on one feature, NULL -> min-1, max(auc, 1-auc)"}
    if baseline:
        _progress("baseline: logistic regression on the same folds")
        base_pred = baseline_oof(X, y, fold, seed)
        boof = oof.assign(score=base_pred)
        cv["baseline_logreg"] = {
            "model": "median imputation + standardisation + LogisticRegression (sklearn, L2, C=1)",
            "precision_at_k": metrics.precision_at_k(boof, k_values, "score", "label"),
            "precision_at_fraction": metrics.precision_at_fractions(boof, FRACTIONS, "score", "label"),
            "roc_auc": metrics.roc_auc(y, base_pred), "brier": metrics.brier(y, base_pred)}

    final_overrides = None
    if search:
        _progress(f"search: selecting parameters for the final model ({len(SEARCH_GRID)} settings)")
        final_overrides, final_loss = select_params(X, y, seed, groups)
        search_info = {"method": "grid, nested cross-validation", "grid": SEARCH_GRID,
                       "inner_folds": INNER_FOLDS, "inner_fold_grouping": FOLD_GROUPING,
                       "criterion": "inner CV log loss",
                       "outer_fold_params": per_fold_params,
                       "final_params": final_overrides, "final_inner_log_loss": final_loss}
    _progress(f"final model on all {n} rows")
    final = fit_booster(X, y, seed, final_overrides)

    import xgboost as xgb

    fao = pd.to_datetime(df["feature_as_of"])
    cv["search"] = search_info if search else "none"
    cv["leakage_guard"] = {"max_feature_auc": max_feature_auc, "allow_leaky": bool(allow_leaky),
                           "leaky_features": {k: round(v, 6) for k, v in leaky.items()}}
    card = cardmod.ModelCard(
        name=Path(out).resolve().name,
        created_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        features=documented_features,
        training=cardmod.Training(
            table=table, rows=n, positives=n_pos, leads=n_leads, base_rate=n_pos / n,
            trained_from=None if fao.isna().all() else fao.min().isoformat(),
            trained_through=None if fao.isna().all() else fao.max().isoformat(),
            data_fingerprint=data_fingerprint(df, [c[0] for c in columns])),
        model=cardmod.Model(members=[booster_file(0)], params=xgb_params(seed, final_overrides),
                            n_estimators=N_ESTIMATORS, seed=int(seed), xgboost_version=xgb.__version__,
                            params_source="grid search (nested CV)" if search else "fixed defaults"),
        validation=cardmod.Validation(
            describes="the fold models' out-of-fold predictions (each row scored by the model "
                      "not trained on it); the deployed model is refitted on all rows",
            folds=n_folds, fold_grouping=FOLD_GROUPING, fold_method=cv["fold_method"],
            tie_rule=metrics.TIE_RULE,
            precision_at_k=[cardmod.RateAtK(**r) for r in pak],
            precision_at_fraction=[cardmod.RateAtK(**r) for r in paf],
            roc_auc=auc, brier_raw=brier_raw, brier_calibrated=cv["brier_calibrated"],
            log_loss_raw=ll_raw, log_loss_calibrated=cv["log_loss_calibrated"],
            calibration_bands=[cardmod.CalibrationBand(**b) for b in cv["calibration_table_calibrated"]],
            details={k: v for k, v in cv.items() if k not in (
                "precision_at_k", "precision_at_fraction", "roc_auc", "brier_raw", "brier_calibrated",
                "log_loss_raw", "log_loss_calibrated", "calibration_table_calibrated", "folds",
                "fold_grouping", "fold_method", "tie_rule")}),
        calibration=calibration,
        thresholds=[_card_threshold(thr, "target", THRESHOLD_SELECTION_NOTE),
                    _card_threshold(thr_c, "conservative",
                                    "chosen on the same out-of-fold predictions it is evaluated on, but "
                                    "on the Wilson 95% lower bound, which offsets part of that optimism")],
        tiers=[cardmod.Tier(label, lo) for label, lo in
               zip(settings.TIER_LABELS, (0.0, *settings.TIER_BINS))],
        k_values=list(k_values),
        gates=cardmod.Gates(proceed=settings.GATE_PROCEED, recalibrate=settings.GATE_RECALIBRATE),
        leakage=cv["leakage_guard"],
    )
    card.check()
    version = save_artifact(out, [final], card, oof=oof)

    # ---- report (stdout) ----
    echo(f"Trained {version} on {n} contacts ({n_pos} responded, base rate "
         f"{_fmt_pct(n_pos / n)}, {n_leads} leads), {len(names)} features, {n_folds}-fold CV "
         f"grouped by lead_id, seed {seed}")
    echo("")
    echo("Cross-validated precision at K (out-of-fold, calibrated score; ties: " + metrics.TIE_RULE + ")")
    echo(format_k_table(pak))
    echo("")
    echo("Top fraction of contacts:")
    echo(format_k_table(paf, "Top"))
    if baseline:
        bl = cv["baseline_logreg"]
        echo("")
        echo(f"Baseline logistic regression (same folds): ROC AUC {bl['roc_auc']:.3f} vs XGBoost "
             f"{auc:.3f}")
        echo(f"{'':>10} | {'XGBoost':>8} | {'LogReg':>8}")
        for xr, br in zip(pak + paf, bl["precision_at_k"] + bl["precision_at_fraction"]):
            lab = f"top {100 * xr['fraction']:g}%" if "fraction" in xr else f"top {xr['k']}"
            echo(f"{lab:>10} | {_fmt_pct(xr['precision']):>8} | {_fmt_pct(br['precision']):>8}")
    echo("")
    echo(f"ROC AUC {auc:.3f}; Brier {brier_raw:.4f} raw -> {brier_cal:.4f} Platt "
         f"({'applied' if use_platt else 'not applied: no improvement'}; "
         f"log loss {ll_raw:.4f} -> {ll_cal:.4f})")
    echo(format_threshold(thr, "Threshold", use_platt))
    echo(format_threshold(thr_c, "Conservative threshold", use_platt))
    echo("Note: each threshold is chosen on the same out-of-fold predictions its precision is "
         "reported on, so that precision is optimistic; the conservative variant (Wilson lower "
         "bound) and phase-1 validation guard against it.")
    if n < SMALL_DATA_ROWS:
        widest = max(pak, key=lambda r: r["ci_high"] - r["ci_low"])
        echo("")
        echo(f"WARNING: small training set ({n} rows < {SMALL_DATA_ROWS}): the estimates are "
             f"uncertain; e.g. top {widest['k']} precision {_fmt_pct(widest['precision'])} has a 95% "
             f"interval {_fmt_pct(widest['ci_low'])} - {_fmt_pct(widest['ci_high'])} "
             f"({100 * (widest['ci_high'] - widest['ci_low']):.0f} points wide)")
    if leaky:
        echo(f"WARNING: trained with --allow-leaky despite leaky-looking features: "
             + ", ".join(leaky))
    echo("")
    echo(f"Artifact written to {Path(out)} ({time.monotonic() - t0:.1f}s)")
    return card


def run(args) -> int:
    project_dir = args.project_dir
    train(db_path=args.db or settings.warehouse_path(project_dir), table=args.table,
          out=args.out or project.model_dir(project_dir),
          seed=args.seed, k_values=args.k_values, target_precision=args.target_precision,
          max_feature_auc=args.max_feature_auc, allow_leaky=args.allow_leaky,
          baseline=args.baseline, search=args.search,
          manifest=(args.target_path or project.target_path(project_dir)) / "manifest.json",
          target=args.target, project_dir=project_dir)
    return 0
