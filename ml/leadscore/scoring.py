"""The DuckDB fast path of scoring: the deployed model's margin for every lead, with XGBoost.

Used by the engine's dbt Python model lead_margins (DuckDB only). Every other adapter computes
the same margin in SQL from the artifact's trees; calibration, tiers, rank and percentile are
SQL on every adapter (engine model lead_scores), so both paths give the same table.

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

import numpy as np
import pyarrow as pa

from leadscore.artifact import Artifact, check_feature_contract, load_artifact
from leadscore.errors import UserError
from leadscore.settings import SCORING_KEY_COLUMNS

DEFAULT_BATCH_SIZE = 100_000


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


def matrix_query(features_sql: str, names: list[str]) -> str:
    """The keys and one FLOAT[n] array per lead: the features in card order, NULL as NaN. DuckDB
    fills the array in C++; the Arrow column's values are then the float32 matrix, row-major."""
    values = ", ".join(f"coalesce(cast(\"{n}\" as float), cast('nan' as float))" for n in names)
    keys = ", ".join(f'"{k}"' for k in SCORING_KEY_COLUMNS)
    return (
        f"select {keys}, cast([{values}] as float[{len(names)}]) as {FEATURES_ARRAY} "
        f"from ({features_sql}) as f"
    )


def feature_matrix(batch: pa.RecordBatch, n_features: int) -> np.ndarray:
    """(rows, features) float32 view of a batch's packed feature column (no copy)."""
    values = batch.column(FEATURES_ARRAY).flatten()  # honours the batch's offset
    return values.to_numpy(zero_copy_only=True).reshape(batch.num_rows, n_features)


def margin_batches(con, features_rel, artifact: Artifact, batch_size: int):
    """Yield (lead_id, feature_as_of, raw_margin) record batches for a lead_features relation."""
    names = verify_feature_table(artifact, relation_columns(features_rel))
    cursor = con.cursor()  # a second connection: dbt writes the result on `con`
    try:
        reader = cursor.sql(matrix_query(features_rel.sql_query(), names)).to_arrow_reader(
            batch_size
        )
        for batch in reader:
            if batch.num_rows:
                margin = artifact.predict_margin(feature_matrix(batch, len(names)))
                yield pa.RecordBatch.from_arrays(
                    [
                        batch.column("lead_id").cast(pa.string()),
                        batch.column("feature_as_of").cast(pa.timestamp("us")),
                        pa.array(margin),
                    ],
                    names=["lead_id", "feature_as_of", "raw_margin"],
                )
    finally:
        cursor.close()


def margins_table(con, features_rel, model_dir, batch_size=None) -> pa.Table:
    """Body of the lead_margins dbt Python model: verify the artifact, then score every lead."""
    if not model_dir:
        raise UserError("lead_margins: config model_dir is empty (dbt var model_dir)")
    artifact = load_artifact(model_dir)
    schema = pa.schema(
        [
            ("lead_id", pa.string()),
            ("feature_as_of", pa.timestamp("us")),
            ("raw_margin", pa.float64()),
        ]
    )
    batches = list(
        margin_batches(con, features_rel, artifact, int(batch_size or DEFAULT_BATCH_SIZE))
    )
    return pa.Table.from_batches(batches, schema=schema)
