-- One row: the profit-maximising list of eligible leads beside the precision-driven lists
-- (outreach_by_threshold and outreach_top_k, sized by the threshold and K vars), all priced with
-- vars cost_per_contact / value_per_response. Contacting a lead pays off on average when its
-- calibrated score exceeds break_even_score = cost / value, so the best K is the number of
-- eligible leads above it; best_k_low..best_k_high are the list sizes whose expected profit is
-- within the 95% noise of the best one (macro profit_optimum). Everything money-valued is NULL,
-- and economics_status is 'set cost and value', while either var is unset. Read from the rows of
-- economics_by_k, which holds these K (the curve over every eligible lead is computed once).
{%- set cost, value = economics_vars() %}
{%- set priced = cost is not none and value is not none %}
with by_k as (
    select * from {{ ref('economics_by_k') }}
),

best as (
    select * from by_k
    where is_best_k
),

best_range as (
    select
        min(k) as k_low,
        max(k) as k_high
    from by_k
    where within_best_range
),

lists as (
    select
        coalesce((select max(eligible_leads) from by_k), 0) as eligible_leads,
        (select count(*) from {{ ref('outreach_by_threshold') }}) as threshold_list_size,
        (select max(threshold_used) from {{ ref('outreach_by_threshold') }}) as threshold_used,
        (select count(*) from {{ ref('outreach_top_k') }}) as top_k_list_size
),

optimum as (
    -- best_k 0: no K has a positive expected profit (no row of by_k is the best); the range then
    -- starts at 0 too, as it does whenever the best profit is within its own noise of 0. No row
    -- (NULLs) while unpriced or when no lead is eligible, as in macro profit_optimum.
    select
        coalesce(best.k, 0) as best_k,
        case when coalesce(best.expected_profit, 0) - coalesce(best.profit_noise, 0) <= 0 then 0
             else r.k_low end as best_k_low,
        coalesce(r.k_high, 0) as best_k_high,
        coalesce(best.profit_noise, 0) as profit_noise
    from best_range as r
    left join best on 1 = 1
    where {% if priced %}(select count(*) from by_k) > 0{% else %}1 = 0{% endif %}
)

select
    cast({{ 'null' if cost is none else cost }} as {{ type_double() }}) as cost_per_contact,
    cast({{ 'null' if value is none else value }} as {{ type_double() }}) as value_per_response,
    {{ economics_status(cost, value) }} as economics_status,
    {% if priced and value > 0 -%}
    cast({{ cost }} as {{ type_double() }}) / {{ value }}
    {%- else -%}
    cast(null as {{ type_double() }})
    {%- endif %} as break_even_score,
    lists.eligible_leads,
    o.best_k, o.best_k_low, o.best_k_high, o.profit_noise,
    best.min_score as best_k_min_score,
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
left join optimum as o on 1 = 1
left join best on 1 = 1
left join by_k as by_threshold on lists.threshold_list_size = by_threshold.k
left join by_k as top_k on lists.top_k_list_size = top_k.k
