-- The card's cross-validated precision@K (n, hits) equals a recomputation in SQL from the
-- card's own out-of-fold predictions, with the same tie rule: the card cannot claim hits its
-- predictions do not show.
with cv as (
    select * from {{ ref('monitoring_evaluation_set') }} where evaluated_set = 'cross_validation'
),
pak as (
    {{ leadscore.precision_at_k('cv', ref('model_k_values')) }}
)
select card.k, card.n, card.hits, pak.n as recomputed_n, pak.hits as recomputed_hits
from {{ ref('model_precision_at_k') }} as card
left join pak on pak.k = card.k
where pak.k is null or pak.n <> card.n or pak.hits <> card.hits
