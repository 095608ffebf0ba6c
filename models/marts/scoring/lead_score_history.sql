{#-
  Append-only history of lead_scores: one row per (model_version, feature_as_of, lead_id).
  Re-running the same build (same model and as-of) replaces its rows instead of duplicating
  them (incremental, delete+insert on the key).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['model_version', 'feature_as_of', 'lead_id'],
    on_schema_change='append_new_columns'
) }}

select
    model_version,
    feature_as_of,
    lead_id,
    scored_at,
    engagement_score,
    raw_score,
    score_rank,
    score_percentile,
    priority,
    reason_up_1,
    reason_up_2,
    reason_up_3,
    reason_down_1,
    reason_down_2,
    reason_down_3
from {{ ref('lead_scores') }}
