-- The artifact's out-of-fold (cross-validation) predictions, typed: the monitoring marts
-- reproduce the model card's CV table from them.
select
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(fold as integer) as fold,
    cast(raw_score as {{ leadscore.type_double() }}) as raw_score,
    cast(score as {{ leadscore.type_double() }}) as score,
    cast(label as integer) as label
from {{ leadscore.artifact_table('oof_predictions') }}
