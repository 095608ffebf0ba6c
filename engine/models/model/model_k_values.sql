-- The K values of precision@K, one row per K, from the model card.
select cast(k as integer) as k
from {{ leadscore.artifact_table('k_values') }}
