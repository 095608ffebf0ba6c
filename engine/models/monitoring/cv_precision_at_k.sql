-- Precision@K of the out-of-fold predictions, K from the model card: the card's own table
-- (model_precision_at_k), with the interval training reports, and the base rate.
select
    card.model_version,
    pak.k, pak.n, pak.hits, pak.precision, pak.ci_low, pak.ci_high, pak.lift,
    pak.min_score,
    card.base_rate
from {{ ref('model_precision_at_k') }} as pak
cross join {{ ref('model_card') }} as card
