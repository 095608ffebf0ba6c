-- Gains table per evaluated set: rows ranked by the tie rule and cut into 10 consecutive
-- equal-count groups (ntile; the first rows % 10 deciles get one extra row; fewer deciles
-- when a set has fewer than 10 rows). Decile 1 = highest scores.
with ranked as (
    select evaluated_set, set_type, campaign_id, score, label,
        ntile(10) over (partition by evaluated_set order by {{ tie_rule_order() }}) as decile
    from {{ ref('monitoring_evaluation_set') }}
),

set_totals as (
    select evaluated_set, count(*) as set_rows, cast(sum(label) as bigint) as set_positives
    from ranked
    group by evaluated_set
),

deciles as (
    select evaluated_set, set_type, campaign_id, decile,
        count(*) as leads, cast(sum(label) as bigint) as responders,
        min(score) as min_score, max(score) as max_score, avg(score) as mean_score
    from ranked
    group by evaluated_set, set_type, campaign_id, decile
),

cumulative as (
    select d.*, t.set_rows, t.set_positives,
        cast(sum(d.leads) over (
            partition by d.evaluated_set order by d.decile rows between unbounded preceding and current row
        ) as bigint) as cum_leads,
        cast(sum(d.responders) over (
            partition by d.evaluated_set order by d.decile rows between unbounded preceding and current row
        ) as bigint) as cum_responders
    from deciles as d
    inner join set_totals as t on d.evaluated_set = t.evaluated_set
),

measures as (
    select *,
        cast(responders as {{ type_double() }}) / leads as response_rate,
        cast(set_positives as {{ type_double() }}) / set_rows as base_rate,
        case when set_positives > 0
             then cast(cum_responders as {{ type_double() }}) / set_positives end as cum_responders_pct,
        case when set_rows > set_positives
             then cast(cum_leads - cum_responders as {{ type_double() }}) / (set_rows - set_positives)
        end as cum_non_responders_pct,
        cast(cum_responders as {{ type_double() }}) / cum_leads as cum_response_rate
    from cumulative
)

select
    evaluated_set, set_type, campaign_id, decile, leads, responders,
    min_score, max_score, mean_score,
    response_rate,
    {{ wilson_low('responders', 'leads') }} as ci_low,
    {{ wilson_high('responders', 'leads') }} as ci_high,
    base_rate,
    {{ lift('response_rate', 'base_rate') }} as lift,
    cum_leads, cum_responders, cum_responders_pct, cum_non_responders_pct,
    cum_response_rate,
    {{ wilson_low('cum_responders', 'cum_leads') }} as cum_ci_low,
    {{ wilson_high('cum_responders', 'cum_leads') }} as cum_ci_high,
    {{ lift('cum_response_rate', 'base_rate') }} as cum_lift,
    cum_responders_pct - cum_non_responders_pct as ks,
    max(cum_responders_pct - cum_non_responders_pct) over (partition by evaluated_set) as ks_statistic
from measures
