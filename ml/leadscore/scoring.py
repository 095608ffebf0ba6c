"""The DuckDB fast path of scoring: the deployed model's margin for every lead, and the feature
contributions behind the reason codes of the listed leads, with XGBoost.

Used by the engine's dbt Python models lead_margins and lead_contributions (DuckDB only).
Every other adapter computes the same margin and contributions in SQL from the artifact's
trees; calibration, tiers, rank, percentile and the choice of reasons are SQL on every adapter
(engine models lead_scores, lead_reasons), so both paths give the same tables.

Data path (bounded memory, no Python row loops, no per-batch copies): DuckDB packs each
lead's features into one FLOAT[n] array in card order (NULL -> NaN, XGBoost's missing), so an
Arrow record batch of `batch_size` rows already holds the row-major float32 matrix and numpy
views it without copying -> Artifact.predict_margin (inplace_predict per member, mean of the
members' margins) -> one Arrow table of (lead_id, feature_as_of, raw_margin) that dbt-duckdb
writes as the model's table.
Checks before anything is scored: every artifact file against SHA256SUMS (load_artifact), then
the feature contract (names, order, types of lead_features minus its keys).
"""

from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa

from leadscore.artifact import Artifact, check_feature_contract, load_artifact
from leadscore.errors import UserError
from leadscore.settings import SCORING_KEY_COLUMNS

DEFAULT_BATCH_SIZE = 100_000


def import_xgboost_without_sklearn():
    """Import xgboost in dbt's process without scikit-learn.

    When scikit-learn is installed, `import xgboost` imports it (and SciPy) for its
    sklearn-style wrappers: about 1 CPU-second and 2-3 s wall of every build, for classes the
    scorer never uses. Nothing else in dbt's process uses xgboost, so scikit-learn is hidden
    while xgboost loads (it then defines its wrappers without sklearn) and visible again after.
    Does nothing when either is already imported."""
    if "xgboost" in sys.modules or "sklearn" in sys.modules:
        return
    sys.modules["sklearn"] = None  # makes `import sklearn` raise ImportError
    try:
        import xgboost  # noqa: F401
    finally:
        del sys.modules["sklearn"]


def relation_columns(rel) -> list[tuple[str, str]]:
    """(name, type) of a DuckDB relation, in order."""
    return [(str(n), str(t)) for n, t in zip(rel.columns, rel.types, strict=True)]


def verify_feature_table(artifact: Artifact, columns: list[tuple[str, str]]) -> list[str]:
    """Check key columns exist and the remaining columns match the card; return feature names."""
    names = [n for n, _ in columns]
    missing_keys = [k for k in SCORING_KEY_COLUMNS if k not in names]
    if missing_keys:
        raise UserError(f"feature table lacks key column(s): {', '.join(missing_keys)}")
    check_feature_contract(
        artifact.card, [(n, t) for n, t in columns if n not in SCORING_KEY_COLUMNS]
    )
    return artifact.feature_names


FEATURES_ARRAY = "__features"  # the packed feature column of the scoring query
VALUES_ARRAY = "__values"  # the same features as DOUBLE, NULL kept: what reason codes show


def matrix_query(features_sql: str, names: list[str], with_values: bool = False) -> str:
    """The keys and one FLOAT[n] array per lead: the features in card order, NULL as NaN. DuckDB
    fills the array in C++; the Arrow column's values are then the float32 matrix, row-major.
    with_values adds the features once more as DOUBLE[n] (VALUES_ARRAY)."""
    values = ", ".join(f"coalesce(cast(\"{n}\" as float), cast('nan' as float))" for n in names)
    keys = ", ".join(f'"{k}"' for k in SCORING_KEY_COLUMNS)
    doubles = ", ".join(f'cast("{n}" as double)' for n in names)
    extra = f", cast([{doubles}] as double[{len(names)}]) as {VALUES_ARRAY}" if with_values else ""
    return (
        f"select {keys}, cast([{values}] as float[{len(names)}]) as {FEATURES_ARRAY}{extra} "
        f"from ({features_sql}) as f"
    )


def feature_matrix(batch: pa.RecordBatch, n_features: int) -> np.ndarray:
    """(rows, features) float32 view of a batch's packed feature column (no copy)."""
    values = batch.column(FEATURES_ARRAY).flatten()  # honours the batch's offset
    return values.to_numpy(zero_copy_only=True).reshape(batch.num_rows, n_features)


def feature_batches(con, features_sql, names, batch_size=None, with_values=False):
    """The non-empty record batches of matrix_query (batch_size rows each, default
    DEFAULT_BATCH_SIZE), read on a second connection (dbt writes the model's result on `con`)."""
    cursor = con.cursor()
    try:
        query = matrix_query(features_sql, names, with_values)
        for batch in cursor.sql(query).to_arrow_reader(int(batch_size or DEFAULT_BATCH_SIZE)):
            if batch.num_rows:
                yield batch
    finally:
        cursor.close()


def margin_batches(con, features_rel, artifact: Artifact, batch_size=None):
    """Yield (lead_id, feature_as_of, raw_margin) record batches for a lead_features relation."""
    names = verify_feature_table(artifact, relation_columns(features_rel))
    for batch in feature_batches(con, features_rel.sql_query(), names, batch_size):
        margin = artifact.predict_margin(feature_matrix(batch, len(names)))
        yield pa.RecordBatch.from_arrays(
            [
                batch.column("lead_id").cast(pa.string()),
                batch.column("feature_as_of").cast(pa.timestamp("us")),
                pa.array(margin),
            ],
            names=["lead_id", "feature_as_of", "raw_margin"],
        )


def model_artifact(model_name: str, model_dir) -> Artifact:
    """The artifact a dbt Python model scores with (its config model_dir, from the dbt var),
    every file checked against SHA256SUMS by load_artifact."""
    if not model_dir:
        raise UserError(f"{model_name}: config model_dir is empty (dbt var model_dir)")
    return load_artifact(model_dir)


def margins_table(con, features_rel, model_dir, batch_size=None) -> pa.Table:
    """Body of the lead_margins dbt Python model: verify the artifact, then score every lead."""
    artifact = model_artifact("lead_margins", model_dir)
    schema = pa.schema(
        [
            ("lead_id", pa.string()),
            ("feature_as_of", pa.timestamp("us")),
            ("raw_margin", pa.float64()),
        ]
    )
    batches = list(margin_batches(con, features_rel, artifact, batch_size))
    return pa.Table.from_batches(batches, schema=schema)


# ----------------------------------------------------------------------------- reason codes

CONTRIBUTION_SCHEMA = pa.schema(
    [
        ("lead_id", pa.dictionary(pa.int32(), pa.string())),
        ("feature", pa.dictionary(pa.int32(), pa.string())),
        ("feature_index", pa.int32()),
        ("contribution", pa.float64()),
        ("feature_value", pa.float64()),
    ]
)


def long_contributions(batch: pa.RecordBatch, contributions: np.ndarray, names) -> pa.RecordBatch:
    """One row per (lead, feature) in card order, then the lead's bias row (feature NULL).
    Lead ids and feature names are dictionary-encoded: the table has ~48 rows per lead."""
    rows, width = contributions.shape  # width: the features, then the bias
    n_features = width - 1
    lead = np.repeat(np.arange(rows, dtype=np.int32), width)
    position = np.tile(np.arange(width, dtype=np.int32), rows)
    is_bias = position == n_features
    feature_position = pa.array(position, mask=is_bias)
    value_row = pa.array(lead * n_features + position, mask=is_bias)
    return pa.RecordBatch.from_arrays(
        [
            pa.DictionaryArray.from_arrays(
                pa.array(lead), batch.column("lead_id").cast(pa.string())
            ),
            pa.DictionaryArray.from_arrays(feature_position, pa.array(names, pa.string())),
            feature_position,
            pa.array(contributions.ravel()),
            batch.column(VALUES_ARRAY).flatten().take(value_row),
        ],
        schema=CONTRIBUTION_SCHEMA,
    )


def contributions_table(con, features_rel, listed_rel, model_dir, batch_size=None) -> pa.Table:
    """Body of the lead_contributions dbt Python model: for the leads of listed_rel (lead_id),
    the rows the SQL scorer's xgboost_contributions_sql gives (lead_id, feature, feature_index,
    contribution, feature_value), computed by XGBoost (approx_contribs). Unlike the SQL it
    also lists the features no tree splits on, with contribution 0 (never a reason)."""
    artifact = model_artifact("lead_contributions", model_dir)
    names = verify_feature_table(artifact, relation_columns(features_rel))
    listed_sql = (
        f"select * from ({features_rel.sql_query()}) as f "
        f"where lead_id in (select lead_id from ({listed_rel.sql_query()}) as l)"
    )
    batches = []
    for batch in feature_batches(con, listed_sql, names, batch_size, with_values=True):
        contributions = artifact.predict_contributions(feature_matrix(batch, len(names)))
        batches.append(long_contributions(batch, contributions, names))
    return pa.Table.from_batches(batches, schema=CONTRIBUTION_SCHEMA)
