-- The card's cross-validated precision@K, one row per K, with the interval training reports
-- (the union of the Wilson and the bootstrap interval: see the card's interval_method).
select
    cast(k as integer) as k,
    cast(n as integer) as n,
    cast(hits as integer) as hits,
    cast(precision as {{ leadscore.type_double() }}) as precision,
    cast(ci_low as {{ leadscore.type_double() }}) as ci_low,
    cast(ci_high as {{ leadscore.type_double() }}) as ci_high,
    cast(lift as {{ leadscore.type_double() }}) as lift,
    cast(min_score as {{ leadscore.type_double() }}) as min_score
from {{ leadscore.artifact_table('precision_at_k') }}
