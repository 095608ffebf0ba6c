-- The card's score thresholds, one row per rule (target, conservative), with the
-- cross-validated precision that chose them.
select
    cast(rule as {{ dbt.type_string() }}) as threshold_rule,
    cast(target_precision as {{ leadscore.type_double() }}) as target_precision,
    cast(reached as boolean) as reached,
    cast(score as {{ leadscore.type_double() }}) as score,
    cast(contacts_selected as integer) as contacts_selected,
    cast(share_selected as {{ leadscore.type_double() }}) as share_selected,
    cast(hits as integer) as hits,
    cast(precision as {{ leadscore.type_double() }}) as precision,
    cast(ci_low as {{ leadscore.type_double() }}) as ci_low,
    cast(ci_high as {{ leadscore.type_double() }}) as ci_high,
    cast(expected_responses as {{ leadscore.type_double() }}) as expected_responses
from {{ leadscore.artifact_table('thresholds') }}
