-- Precision@K for every evaluated set (cross-validation and each campaign), K from the card.
-- Campaigns get the Wilson 95% interval of their own outcomes; cross-validation gets the
-- card's interval (model_precision_at_k: Wilson and bootstrap, see docs/training.md), so every
-- table states one interval for the same cross-validated number.
with eval_rows as (
    select * from {{ ref('monitoring_evaluation_set') }}
),

sets as (
    select distinct evaluated_set, set_type, campaign_id from eval_rows
),

pak as (
    {{ precision_at_k('eval_rows', ref('model_k_values')) }}
)

select
    s.evaluated_set, s.set_type, s.campaign_id,
    pak.k, pak.n, pak.hits, pak.precision,
    coalesce(cv.ci_low, pak.ci_low) as ci_low,
    coalesce(cv.ci_high, pak.ci_high) as ci_high,
    pak.base_rate, pak.lift, pak.min_score_taken,
    pak.set_rows, pak.set_positives
from pak
inner join sets as s on pak.evaluated_set = s.evaluated_set
left join {{ ref('model_precision_at_k') }} as cv
    on s.set_type = 'cross_validation' and pak.k = cv.k
