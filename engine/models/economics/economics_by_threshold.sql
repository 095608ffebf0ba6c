-- The economics of contacting every eligible lead with engagement_score >= threshold, on the
-- grid 0.00, 0.01, ..., 1.00 (the grid of threshold_curve): list size, expected responses with
-- the Poisson-binomial 95% interval widened by the calibration's own uncertainty (model card),
-- and the money columns (see economics_by_k).
{%- set cost, value = economics_vars() %}
with bucketed as (
    -- bucket i holds the leads with i / 100 <= score < (i + 1) / 100
    select engagement_score as p, {{ grid_bucket('engagement_score', 100) }} as bucket,
        {{ calibration_gradient_a('engagement_score', 'card') }} as gradient_a
    from {{ ref('outreach_eligible_leads') }}
    cross join {{ ref('model_card') }} as card
),
per_bucket as (
    select bucket, count(*) as leads, sum(p) as sum_p, sum(p * (1 - p)) as sum_pq,
        sum(gradient_a) as sum_gradient_a
    from bucketed group by bucket
),
grid as (
    select i, cast(i as {{ type_double() }}) / 100 as threshold from ({{ integer_series(100) }}) s
),
selected as (
    select g.threshold,
        cast(coalesce(sum(b.leads), 0) as bigint) as leads_selected,
        coalesce(sum(b.sum_p), 0) as expected_responses,
        coalesce(sum(b.sum_pq), 0) as outcome_variance,
        coalesce(sum(b.sum_gradient_a), 0) as gradient_a
    from grid g
    left join per_bucket b on b.bucket >= g.i
    group by g.threshold
),
with_calibration as (
    select s.threshold, s.leads_selected, s.expected_responses,
        s.outcome_variance + {{ calibration_variance('s.gradient_a', 's.outcome_variance', 'card') }}
            as responses_variance
    from selected s
    cross join {{ ref('model_card') }} as card
),
intervals as (
    select s.*,
        {{ expected_count_low('expected_responses', 'responses_variance') }} as responses_low,
        {{ expected_count_high('expected_responses', 'responses_variance', 'leads_selected') }} as responses_high
    from with_calibration s
)
select
    threshold, leads_selected, expected_responses, responses_low, responses_high,
    case when leads_selected > 0 then expected_responses / leads_selected end as expected_precision,
    {{ economics_columns('leads_selected', 'expected_responses', 'responses_low', 'responses_high', cost, value) }},
    cast({{ 'null' if cost is none else cost }} as {{ type_double() }}) as cost_per_contact,
    cast({{ 'null' if value is none else value }} as {{ type_double() }}) as value_per_response,
    {{ economics_status(cost, value) }} as economics_status
from intervals
