-- One row for the report's header: the deployed model (model_card), how many leads this
-- build scored and how many are eligible, and the data-quality totals of the raw files.
with scored as (
    select count(*) as scored_leads, max(feature_as_of) as feature_as_of, max(scored_at) as scored_at
    from {{ ref('lead_scores') }}
),

eligible as (
    select count(*) as eligible_leads from {{ ref('outreach_eligible_leads') }}
),

data_quality as (
    select
        count(*) as raw_files,
        cast(sum(input_rows) as bigint) as rows_read,
        cast(sum(accepted_rows) as bigint) as rows_accepted,
        cast(sum(rejected_rows) as bigint) as rows_rejected,
        cast(sum(values_set_to_null) as bigint) as values_set_to_null
    from {{ ref('data_quality_summary') }}
)

select
    card.model_version, card.model_name, card.created_at as model_created_at,
    card.trained_from, card.trained_through,
    card.training_rows, card.training_positives, card.base_rate, card.feature_count,
    card.calibration_method, card.target_precision, card.threshold_score, card.threshold_reached,
    card.gate_proceed, card.gate_recalibrate,
    scored.scored_leads, scored.feature_as_of, scored.scored_at,
    eligible.eligible_leads,
    data_quality.raw_files, data_quality.rows_read, data_quality.rows_accepted,
    data_quality.rows_rejected, data_quality.values_set_to_null
from {{ ref('model_card') }} as card
cross join scored
cross join eligible
cross join data_quality
