-- Precision@K for every evaluated set (cross-validation and each campaign), K from the card.
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
    pak.k, pak.n, pak.hits, pak.precision, pak.ci_low, pak.ci_high,
    pak.base_rate, pak.lift, pak.min_score_taken,
    pak.set_rows, pak.set_positives
from pak
inner join sets as s on pak.evaluated_set = s.evaluated_set
