-- The rollout / campaign gates, one row per decision: the first (by gate_order) whose
-- min_precision the observed precision reaches decides (proceed, recalibrate, stop).
select
    cast(gate_order as integer) as gate_order,
    cast(decision as {{ dbt.type_string() }}) as decision,
    cast(min_precision as {{ leadscore.type_double() }}) as min_precision
from {{ leadscore.artifact_table('gates') }}
