"""The DuckDB fast path of scoring: the deployed model's margin for every lead, with XGBoost.

Used by the engine's dbt Python model lead_margins (DuckDB only). Every other adapter computes
the same margin in SQL from the artifact's trees; calibration, tiers, rank and percentile are
SQL on every adapter (engine model lead_scores), so both paths give the same table.

Data path (bounded memory, no Python row loops): lead_features --Arrow record batches of
`batch_size` rows--> float32 matrix in card order (NULL -> NaN, XGBoost's missing) ->
Artifact.predict_margin (mean of the members' margins) -> one Arrow table of
(lead_id, feature_as_of, raw_margin) that dbt-duckdb writes as the model's table.
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
    return [(str(n), str(t)) for n, t in zip(rel.columns, rel.types)]


def verify_feature_table(artifact: Artifact, columns: list[tuple[str, str]]) -> list[str]:
    """Check key columns exist and the remaining columns match the card; return feature names."""
    names = [n for n, _ in columns]
    missing_keys = [k for k in SCORING_KEY_COLUMNS if k not in names]
    if missing_keys:
        raise UserError(f"feature table lacks key column(s): {', '.join(missing_keys)}")
    check_feature_contract(artifact.card, [(n, t) for n, t in columns if n not in SCORING_KEY_COLUMNS])
    return artifact.feature_names


def feature_matrix(batch: pa.RecordBatch, names: list[str]) -> np.ndarray:
    """(rows, features) float32 matrix in card order; NULL -> NaN (XGBoost's missing)."""
    x = np.empty((batch.num_rows, len(names)), dtype=np.float32)
    for j, name in enumerate(names):
        x[:, j] = batch.column(name).to_numpy(zero_copy_only=False)  # nullable DOUBLE -> NaN
    return x


def margin_batches(con, features_rel, artifact: Artifact, batch_size: int):
    """Yield (lead_id, feature_as_of, raw_margin) record batches for a lead_features relation."""
    names = verify_feature_table(artifact, relation_columns(features_rel))
    columns = ", ".join(f'"{c}"' for c in (*SCORING_KEY_COLUMNS, *names))
    cursor = con.cursor()  # a second connection: dbt writes the result on `con`
    try:
        reader = cursor.sql(f"select {columns} from ({features_rel.sql_query()}) as f") \
            .to_arrow_reader(batch_size)
        yield from _margins(reader, artifact, names)
    finally:
        cursor.close()


def _margins(reader, artifact: Artifact, names: list[str]):
    for batch in reader:
        if batch.num_rows:
            margin = artifact.predict_margin(feature_matrix(batch, names))
            yield pa.RecordBatch.from_arrays(
                [batch.column("lead_id").cast(pa.string()),
                 batch.column("feature_as_of").cast(pa.timestamp("us")), pa.array(margin)],
                names=["lead_id", "feature_as_of", "raw_margin"])


def margins_table(con, features_rel, model_dir, batch_size=None) -> pa.Table:
    """Body of the lead_margins dbt Python model: verify the artifact, then score every lead."""
    if not model_dir:
        raise UserError("lead_margins: config model_dir is empty (dbt var model_dir)")
    artifact = load_artifact(model_dir)
    schema = pa.schema([("lead_id", pa.string()), ("feature_as_of", pa.timestamp("us")),
                        ("raw_margin", pa.float64())])
    batches = list(margin_batches(con, features_rel, artifact, int(batch_size or DEFAULT_BATCH_SIZE)))
    return pa.Table.from_batches(batches, schema=schema)
