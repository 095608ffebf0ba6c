-- Precision / recall / lift of "select every row with score >= threshold" on a fixed grid
-- of thresholds 0.00, 0.01, ..., 1.00 (101 rows per evaluated set; threshold = i / 100).
with eval_rows as (
    select * from {{ ref('monitoring_evaluation_set') }}
),

sets as (
    select evaluated_set, set_type, campaign_id,
        count(*) as set_rows, cast(sum(label) as bigint) as set_positives
    from eval_rows
    group by evaluated_set, set_type, campaign_id
),

grid as (
    select cast(i as {{ type_double() }}) / 100 as threshold from ({{ integer_series(100) }}) as s
),

curve as (
    select s.evaluated_set, s.set_type, s.campaign_id, s.set_rows, s.set_positives, g.threshold,
        count(r.score) as leads_selected,
        cast(coalesce(sum(r.label), 0) as bigint) as hits,
        coalesce(sum(r.score), 0) as expected_responses
    from sets as s
    cross join grid as g
    left join eval_rows as r on s.evaluated_set = r.evaluated_set and g.threshold <= r.score
    group by s.evaluated_set, s.set_type, s.campaign_id, s.set_rows, s.set_positives, g.threshold
)

select
    evaluated_set, set_type, campaign_id, threshold, leads_selected, hits,
    case when leads_selected > 0 then cast(hits as {{ type_double() }}) / leads_selected end as precision,
    {{ wilson_low('hits', 'leads_selected') }} as ci_low,
    {{ wilson_high('hits', 'leads_selected') }} as ci_high,
    case when set_positives > 0 then cast(hits as {{ type_double() }}) / set_positives end as recall,
    {{ lift('case when leads_selected > 0 then cast(hits as ' ~ type_double() ~ ') / leads_selected end',
            'cast(set_positives as ' ~ type_double() ~ ') / set_rows') }} as lift,
    cast(leads_selected as {{ type_double() }}) / set_rows as coverage,
    expected_responses,
    set_rows, set_positives
from curve
