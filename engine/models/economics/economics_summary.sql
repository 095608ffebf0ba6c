-- One row: the profit-maximising list of eligible leads beside the precision-driven lists
-- (outreach_by_threshold and outreach_top_k, sized by the threshold and K vars), all priced with
-- vars cost_per_contact / value_per_response. Contacting a lead pays off on average when its
-- calibrated score exceeds break_even_score = cost / value, so the best K is the number of
-- eligible leads above it; best_k_low..best_k_high are the list sizes whose expected profit is
-- within the 95% noise of the best one (macro profit_optimum). Everything money-valued is NULL,
-- and economics_status is 'set cost and value', while either var is unset.
{%- set cost, value = economics_vars() %}
with curve as (
    {{ profit_curve(ref('outreach_eligible_leads'), 'engagement_score', 'engagement_score',
                    'score_rank, lead_id', cost, value, card_calibration=true) }}
),
optimum as (
    {{ profit_optimum('curve', value) }}
),
lists as (
    select
        (select count(*) from curve) as eligible_leads,
        (select count(*) from {{ ref('outreach_by_threshold') }}) as threshold_list_size,
        (select max(threshold_used) from {{ ref('outreach_by_threshold') }}) as threshold_used,
        (select count(*) from {{ ref('outreach_top_k') }}) as top_k_list_size
)
select
    cast({{ 'null' if cost is none else cost }} as {{ type_double() }}) as cost_per_contact,
    cast({{ 'null' if value is none else value }} as {{ type_double() }}) as value_per_response,
    {{ economics_status(cost, value) }} as economics_status,
    {% if cost is not none and value is not none and value > 0 -%}
    cast({{ cost }} as {{ type_double() }}) / {{ value }}
    {%- else -%}
    cast(null as {{ type_double() }})
    {%- endif %} as break_even_score,
    lists.eligible_leads,
    o.best_k, o.best_k_low, o.best_k_high, o.profit_noise,
    best.score as best_k_min_score,
    best.expected_responses, best.responses_low, best.responses_high,
    best.cost, best.expected_value, best.expected_profit, best.profit_low, best.profit_high, best.roi,
    lists.threshold_used,
    lists.threshold_list_size,
    by_threshold.expected_responses as threshold_expected_responses,
    by_threshold.expected_profit as threshold_expected_profit,
    by_threshold.roi as threshold_roi,
    lists.top_k_list_size,
    top_k.expected_responses as top_k_expected_responses,
    top_k.expected_profit as top_k_expected_profit,
    top_k.roi as top_k_roi
from lists
left join optimum o on 1 = 1
left join curve best on best.k = o.best_k
left join curve by_threshold on by_threshold.k = lists.threshold_list_size
left join curve top_k on top_k.k = lists.top_k_list_size
