-- Precision@K of the out-of-fold predictions, K from the model card: the SQL twin of the
-- card's cv.precision_at_k table (same tie rule, same Wilson formula, same base rate).
with cv as (
    select * from {{ ref('monitoring_evaluation_set') }} where evaluated_set = 'cross_validation'
),
pak as (
    {{ precision_at_k('cv', ref('model_k_values')) }}
)
select
    card.model_version,
    pak.k, pak.n, pak.hits, pak.precision, pak.ci_low, pak.ci_high, pak.lift,
    pak.min_score_taken as min_score,
    pak.base_rate
from pak
cross join {{ ref('model_card') }} card
