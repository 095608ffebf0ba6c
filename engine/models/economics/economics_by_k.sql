-- The economics of contacting the top K eligible leads (outreach_eligible_leads in score_rank
-- order), on a grid of K: every K up to 200, then about 200 evenly spaced K up to all eligible
-- leads, plus the card's K values, the sizes of today's threshold and top-K lists, and the
-- profit-maximising K with its range: every row economics_summary reads (it reads them here,
-- not the 10M-row curve again).
-- Expected responses = sum of the calibrated engagement_score of the list, with the
-- Poisson-binomial 95% interval widened by the calibration's own uncertainty (model card);
-- money columns from vars cost_per_contact / value_per_response
-- (NULL, and economics_status 'set cost and value', while either is unset).
{%- set cost, value = economics_vars() %}
{#- called whatever the vars: dbt records the macros a model calls when it parses it, and a
    parse must not depend on runtime vars (tests/test_dbt_in_process.py) -#}
{%- set z = z95() %}
with curve as (
    {{ profit_curve(ref('outreach_eligible_leads'), 'engagement_score', 'engagement_score',
                    'score_rank, lead_id', cost, value, card_calibration=true) }}
),

optimum as (
    {{ profit_optimum('curve', value) }}
),

size as (
    select count(*) as eligible_leads,
        cast(ceiling(count(*) / 200.0) as bigint) as grid_step
    from curve
)

select
    c.k,
    c.score as min_score,
    c.expected_responses,
    c.responses_low,
    c.responses_high,
    c.expected_responses / c.k as expected_precision,
    c.cost, c.expected_value, c.expected_profit, c.profit_low, c.profit_high, c.roi,
    {% if cost is none or value is none -%}
    cast(null as {{ type_double() }})
    {%- else -%}
    {{ z }} * cast({{ value }} as {{ type_double() }}) * sqrt(c.responses_variance)
    {%- endif %} as profit_noise,
    coalesce(c.k = o.best_k, false) as is_best_k,
    coalesce(c.k between o.best_k_low and o.best_k_high, false) as within_best_range,
    size.eligible_leads,
    cast({{ 'null' if cost is none else cost }} as {{ type_double() }}) as cost_per_contact,
    cast({{ 'null' if value is none else value }} as {{ type_double() }}) as value_per_response,
    {{ economics_status(cost, value) }} as economics_status
from curve as c
cross join size
left join optimum as o on 1 = 1
where c.k <= 200
   or mod(c.k, size.grid_step) = 0
   or c.k = size.eligible_leads
   or c.k in (select card_k.k from {{ ref('model_k_values') }} as card_k)
   or c.k in (o.best_k, o.best_k_low, o.best_k_high)
   or c.k = (select count(*) from {{ ref('outreach_by_threshold') }})
   or c.k = (select count(*) from {{ ref('outreach_top_k') }})
