"""Score leads inside the warehouse: batch-wise XGBoost scoring with reason codes.

Used by the thin dbt Python model python_models/lead_scores.py (and by benchmarks/score_bench.py).

Data path (bounded memory, no Python row loops):
  lead_features (DuckDB relation) --to_arrow_reader(batch_size)--> Arrow record batches
  --> per batch: numpy feature matrix in card order -> booster.predict (raw probability)
      + approximate (Saabas) feature contributions -> calibrate -> top-3 up / top-3 down
  --> each scored batch is appended to a TEMP table on the model's own DuckDB connection
  --> the model returns a DuckDB relation over that temp table that adds score_rank,
      score_percentile and the reason texts (DuckDB computes the window and the strings;
      dbt-duckdb materialises a returned relation with `create table ... as select`).
Only one batch (batch_size rows) is ever held in Python; DuckDB's buffer manager can spill the
temp table and the rank sort to disk.

Order of checks: artifact sha256 (load_artifact) -> feature contract (names, order, types of
lead_features minus lead_id/feature_as_of) -> scoring. Any failure raises before a score is written.

Reason codes: XGBoost contributions (pred_contribs, approx_contribs=True) in log-odds units.
reason_up_1..3 = the three features with the largest positive contribution (NULL when fewer
than three features raise the score), reason_down_1..3 = the three most negative.
Text format: "<card label> (<feature value>)": integers without decimals, other values rounded
to 2 decimals, NULL values as "missing", e.g. "Replied to a message (3)".
For every reason the feature name (reason_up_1_feature) and contribution
(reason_up_1_contribution) are kept; contribution_other holds the sum of all remaining features'
contributions and contribution_bias the bias term, so
  sum(reason contributions) + contribution_other + contribution_bias = raw_margin = logit(raw_score).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leadscore.artifact import Artifact, calibrate, check_feature_contract, load_artifact
from leadscore.errors import UserError
from leadscore.settings import SCORING_KEY_COLUMNS

DEFAULT_BATCH_SIZE = 100_000
N_REASONS = 3
TEMP_TABLE = "__lead_scores_unranked"

# Columns written per batch (before DuckDB adds rank, percentile and reason texts).
_REASON_COLS = [f"{d}_{i}" for d in ("up", "down") for i in range(1, N_REASONS + 1)]


def batch_schema() -> pa.Schema:
    fields = [
        pa.field("lead_id", pa.string()),
        pa.field("feature_as_of", pa.timestamp("us")),
        pa.field("raw_score", pa.float64()),
        pa.field("engagement_score", pa.float64()),
        pa.field("priority", pa.string()),
        pa.field("raw_margin", pa.float64()),
        pa.field("contribution_bias", pa.float64()),
        pa.field("contribution_other", pa.float64()),
    ]
    for r in _REASON_COLS:
        fields += [pa.field(f"reason_{r}_feature", pa.string()),
                   pa.field(f"reason_{r}_label", pa.string()),
                   pa.field(f"reason_{r}_value", pa.float64()),
                   pa.field(f"reason_{r}_contribution", pa.float64())]
    return pa.schema(fields)


@dataclass
class ScoreStats:
    """Timings of one scoring run (seconds), filled by score_batches."""

    rows: int = 0
    batches: int = 0
    read_s: float = 0.0
    matrix_s: float = 0.0
    predict_s: float = 0.0
    contribs_s: float = 0.0
    post_s: float = 0.0
    write_s: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        return self.read_s + self.matrix_s + self.predict_s + self.contribs_s + self.post_s + self.write_s


def _tier_config(card: dict):
    tiers = card.get("priority_tiers") or {}
    bins = [float(b) for b in tiers.get("bins", [])]
    labels = [str(x) for x in tiers.get("labels", [])]
    if len(labels) != len(bins) + 1 or bins != sorted(bins):
        raise UserError("model card: priority_tiers needs ascending bins and len(bins)+1 labels, "
                        f"got bins={bins} labels={labels}")
    return np.asarray(bins, dtype=float), pa.array(labels, pa.string())


def relation_columns(rel) -> list[tuple[str, str]]:
    """(name, type) of a DuckDB relation, in order."""
    return [(str(n), str(t)) for n, t in zip(rel.columns, rel.types)]


def verify_feature_table(card: dict, columns: list[tuple[str, str]]) -> list[str]:
    """Check key columns exist and the remaining columns match the card; return feature names."""
    names = [n for n, _ in columns]
    missing_keys = [k for k in SCORING_KEY_COLUMNS if k not in names]
    if missing_keys:
        raise UserError(f"feature table lacks key column(s): {', '.join(missing_keys)}")
    check_feature_contract(card, [(n, t) for n, t in columns if n not in SCORING_KEY_COLUMNS])
    return [f["name"] for f in card["features"]]


def feature_matrix(batch: pa.RecordBatch, names: list[str]) -> np.ndarray:
    """(rows, features) float32 matrix in card order; NULL -> NaN (XGBoost's missing)."""
    x = np.empty((batch.num_rows, len(names)), dtype=np.float32)
    for j, name in enumerate(names):
        col = batch.column(name)
        x[:, j] = col.to_numpy(zero_copy_only=False)  # nullable DOUBLE -> float64 with NaN
    return x


def _top_reasons(contribs: np.ndarray, x: np.ndarray, names_arr: pa.Array, labels_arr: pa.Array):
    """Top-N positive and negative contributions per row (vectorised)."""
    n, f = contribs.shape
    rows = np.arange(n)
    out = {}
    used = np.zeros(n, dtype=np.float64)
    k = min(N_REASONS, f)
    # up: largest first; down: most negative first.
    for direction, order in (("up", np.argsort(-contribs, axis=1, kind="stable")[:, :k]),
                             ("down", np.argsort(contribs, axis=1, kind="stable")[:, :k])):
        for i in range(N_REASONS):
            key = f"{direction}_{i + 1}"
            if i >= k:
                idx = np.zeros(n, dtype=np.int64)
                valid = np.zeros(n, dtype=bool)
            else:
                idx = order[:, i]
                c = contribs[rows, idx]
                valid = c > 0 if direction == "up" else c < 0
            mask = ~valid
            c = contribs[rows, idx].astype(np.float64)
            used += np.where(valid, c, 0.0)
            idx_arr = pa.array(idx.astype(np.int32), mask=mask)
            out[f"reason_{key}_feature"] = pc.take(names_arr, idx_arr)
            out[f"reason_{key}_label"] = pc.take(labels_arr, idx_arr)
            v = x[rows, idx].astype(np.float64)
            out[f"reason_{key}_value"] = pa.array(v, mask=~valid | np.isnan(v))
            out[f"reason_{key}_contribution"] = pa.array(c, mask=~valid)
    return out, used


def score_batch(artifact: Artifact, batch: pa.RecordBatch, names: list[str],
                stats: ScoreStats | None = None, with_reasons: bool = True) -> pa.RecordBatch:
    """Score one Arrow record batch of lead_features; returns a batch with batch_schema()."""
    import xgboost as xgb

    stats = stats or ScoreStats()
    card = artifact.card
    t0 = time.perf_counter()
    x = feature_matrix(batch, names)
    dm = xgb.DMatrix(x, missing=np.nan, feature_names=names)
    tm = time.perf_counter()
    stats.matrix_s += tm - t0
    raw = artifact.booster.predict(dm).astype(np.float64)
    t1 = time.perf_counter()
    stats.predict_s += t1 - tm
    score = calibrate(card, raw)
    bins, tier_labels = _tier_config(card)
    # side="right": a score equal to a bin's lower bound belongs to the higher tier.
    priority = pc.take(tier_labels, pa.array(np.searchsorted(bins, score, side="right")))
    cols = {
        "lead_id": batch.column("lead_id").cast(pa.string()),
        "feature_as_of": batch.column("feature_as_of").cast(pa.timestamp("us")),
        "raw_score": pa.array(raw),
        "engagement_score": pa.array(score),
        "priority": priority,
    }
    if with_reasons:
        t2 = time.perf_counter()
        contribs = artifact.booster.predict(dm, pred_contribs=True, approx_contribs=True)
        t3 = time.perf_counter()
        stats.contribs_s += t3 - t2
        bias = contribs[:, -1].astype(np.float64)
        feat = contribs[:, :-1]
        names_arr = pa.array(names, pa.string())
        labels_arr = pa.array([f.get("label") or f["name"] for f in card["features"]], pa.string())
        reasons, used = _top_reasons(feat, x, names_arr, labels_arr)
        total = feat.astype(np.float64).sum(axis=1)
        cols["raw_margin"] = pa.array(total + bias)
        cols["contribution_bias"] = pa.array(bias)
        cols["contribution_other"] = pa.array(total - used)
        cols.update(reasons)
    schema = batch_schema()
    arrays = [cols[f.name] if f.name in cols else pa.nulls(batch.num_rows, f.type) for f in schema]
    out = pa.RecordBatch.from_arrays(arrays, schema=schema)
    contribs_s = (t3 - t2) if with_reasons else 0.0
    # post = calibration, tiers, reason selection and Arrow assembly
    stats.post_s += (time.perf_counter() - t0) - (tm - t0) - (t1 - tm) - contribs_s
    stats.rows += batch.num_rows
    stats.batches += 1
    return out


def _fmt_value(col: str) -> str:
    return (f"case when {col} is null then 'missing' "
            f"when {col} = round({col}) and abs({col}) < 1e15 then cast(cast({col} as bigint) as varchar) "
            f"else cast(round({col}, 2) as varchar) end")


def ranked_select_sql(source: str, model_version: str, scored_at: str) -> str:
    """SQL adding rank, percentile, model_version, scored_at and reason texts to the batch table."""
    reason_cols = []
    for r in _REASON_COLS:
        p = f"reason_{r}"
        reason_cols.append(
            f"case when {p}_feature is null then null else {p}_label || ' (' || {_fmt_value(p + '_value')} || ')' end as {p}")
    detail_cols = []
    for r in _REASON_COLS:
        p = f"reason_{r}"
        detail_cols += [f"{p}_feature", f"{p}_contribution"]
    mv = model_version.replace("'", "''")
    return f"""
select
    lead_id,
    engagement_score,
    raw_score,
    row_number() over (order by engagement_score desc, lead_id asc) as score_rank,
    round(100.0 * cume_dist() over (order by engagement_score asc), 4) as score_percentile,
    priority,
    '{mv}' as model_version,
    cast('{scored_at}' as timestamp) as scored_at,
    feature_as_of,
    {', '.join(reason_cols)},
    {', '.join(detail_cols)},
    contribution_other,
    contribution_bias,
    raw_margin
from {source}
"""


def score_relation(con, features_rel, artifact: Artifact, *, batch_size: int = DEFAULT_BATCH_SIZE,
                   stats: ScoreStats | None = None, scored_at: datetime | None = None,
                   with_reasons: bool = True):
    """Score a lead_features relation; return a DuckDB relation (on `con`) with one row per lead.

    features_rel is read on its own cursor (a second connection to the same database), so the
    scored batches can be written to a temp table on `con` while it is being read.
    """
    stats = stats if stats is not None else ScoreStats()
    names = verify_feature_table(artifact.card, relation_columns(features_rel))
    scored_at = scored_at or datetime.now(timezone.utc).replace(tzinfo=None)
    read_con = con.cursor()
    key_sql = ", ".join(f'"{c}"' for c in SCORING_KEY_COLUMNS)
    feat_sql = ", ".join(f'"{n}"' for n in names)
    sql = f"select {key_sql}, {feat_sql} from ({features_rel.sql_query()}) as f"
    reader = read_con.sql(sql).to_arrow_reader(batch_size)
    schema = batch_schema()
    con.execute(f"drop table if exists {TEMP_TABLE}")
    con.register("__lead_scores_empty", schema.empty_table())
    con.execute(f"create temp table {TEMP_TABLE} as select * from __lead_scores_empty")
    con.unregister("__lead_scores_empty")
    try:
        while True:
            t0 = time.perf_counter()
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                stats.read_s += time.perf_counter() - t0
                break
            stats.read_s += time.perf_counter() - t0
            if batch.num_rows == 0:
                continue
            out = score_batch(artifact, batch, names, stats, with_reasons=with_reasons)
            t1 = time.perf_counter()
            con.register("__lead_scores_batch", out)
            con.execute(f"insert into {TEMP_TABLE} select * from __lead_scores_batch")
            con.unregister("__lead_scores_batch")
            stats.write_s += time.perf_counter() - t1
    finally:
        reader.close()
        read_con.close()
    return con.sql(ranked_select_sql(TEMP_TABLE, artifact.model_version,
                                     scored_at.isoformat(sep=" ", timespec="microseconds")))


def score_model(session, features_rel, model_dir, batch_size=None, stats=None):
    """Body of the lead_scores dbt Python model: verify the artifact, score, return a relation.

    features_rel = dbt.ref("lead_features") (the ref must stay in the model file so dbt sees
    the dependency). Relative model_dir paths resolve against the working directory dbt runs in.
    """
    if not model_dir:
        raise UserError("lead_scores: config model_dir is empty (dbt var model_dir)")
    artifact = load_artifact(model_dir)  # sha256 check before anything else
    return score_relation(session, features_rel, artifact,
                          batch_size=int(batch_size or DEFAULT_BATCH_SIZE), stats=stats)


# ---------------------------------------------------------------------------------------------
# active_model: one row describing the deployed model card (read by the selection SQL models).

def active_model_table(model_dir: str) -> pa.Table:
    """One-row Arrow table of the model card's deployment facts (verifies the artifact too)."""
    art = load_artifact(model_dir)
    card = art.card
    tr = card.get("training") or {}
    th = card.get("threshold") or {}
    thc = card.get("threshold_conservative") or {}
    tiers = card.get("priority_tiers") or {}
    gates = card.get("gates") or {}
    bins = [float(b) for b in tiers.get("bins", [])]
    labels = [str(x) for x in tiers.get("labels", [])]
    cal = card.get("calibration") or {"method": "none"}

    def f(v):
        return None if v is None else float(v)

    row = {
        "model_version": card["model_version"],
        "model_dir": str(model_dir),
        "created_at": card.get("created_at"),
        "xgboost_version": card.get("xgboost_version"),
        "booster_sha256": card.get("booster_sha256"),
        "feature_count": len(card["features"]),
        "calibration_method": cal.get("method", "none"),
        "training_rows": tr.get("rows"),
        "training_positives": tr.get("positives"),
        "base_rate": f(tr.get("base_rate")),
        "training_feature_as_of_max": tr.get("feature_as_of_max"),
        "target_precision": f(th.get("target_precision")),
        "threshold_reached": th.get("reached"),
        "threshold_score": f(th.get("score")),
        "threshold_precision": f(th.get("precision")),
        "threshold_ci_low": f(th.get("ci_low")),
        "threshold_ci_high": f(th.get("ci_high")),
        "threshold_leads_selected": th.get("leads_selected"),
        "conservative_threshold_reached": thc.get("reached"),
        "conservative_threshold_score": f(thc.get("score")),
        "conservative_threshold_precision": f(thc.get("precision")),
        "conservative_threshold_ci_low": f(thc.get("ci_low")),
        "tier_bins": ",".join(repr(b) for b in bins),
        "tier_labels": ",".join(labels),
        "k_values": ",".join(str(int(k)) for k in card.get("k_values", [])),
        "gate_proceed": f(gates.get("proceed")),
        "gate_recalibrate": f(gates.get("recalibrate")),
    }
    types = {"feature_count": pa.int64(), "training_rows": pa.int64(),
             "training_positives": pa.int64(), "threshold_leads_selected": pa.int64(),
             "threshold_reached": pa.bool_(), "conservative_threshold_reached": pa.bool_()}
    arrays, fields = [], []
    for k, v in row.items():
        t = types.get(k) or (pa.float64() if isinstance(v, float) or k.startswith(("threshold_", "conservative_", "gate_", "base_", "target_")) else pa.string())
        arrays.append(pa.array([v], t))
        fields.append(pa.field(k, t))
    # created_at stays ISO-8601 text (as in the card); SQL casts it when needed.
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))
