{#-
  Append-only history of lead_scores: one row per (model_version, feature_as_of, lead_id).
  Re-running the same build (same model and as-of) replaces its rows instead of duplicating
  them (incremental on the key: delete+insert; on Spark, which has neither delete+insert nor
  merge on plain tables, insert_overwrite of the (model_version, feature_as_of) partition).
  model_trained_through (the model's latest training contact) lets monitoring use a score
  for a contact only when the model had not already learned that contact's outcome.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy=('insert_overwrite' if target.type == 'spark' else 'merge' if target.type == 'databricks' else 'delete+insert'),
    partition_by=(['model_version', 'feature_as_of'] if target.type == 'spark' else none),
    unique_key=['model_version', 'feature_as_of', 'lead_id'],
    on_schema_change='append_new_columns'
) }}

select
    s.model_version,
    s.feature_as_of,
    s.lead_id,
    s.scored_at,
    s.engagement_score,
    s.raw_score,
    s.score_rank,
    s.score_percentile,
    s.priority,
    card.trained_through as model_trained_through
from {{ ref('lead_scores') }} as s
cross join {{ ref('model_card') }} as card
