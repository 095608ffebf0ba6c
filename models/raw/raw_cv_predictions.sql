-- Out-of-fold (cross-validation) predictions of the active model artifact:
-- <var model_dir>/oof_predictions.csv, typed. Read through the dispatched macro
-- read_artifact_csv so the monitoring marts can reproduce the model card's CV table in SQL.
select
    cast(lead_id as {{ dbt.type_string() }}) as lead_id,
    cast(contact_id as {{ dbt.type_string() }}) as contact_id,
    cast(fold as integer) as fold,
    cast(raw_score as {{ type_double() }}) as raw_score,
    cast(score as {{ type_double() }}) as score,
    cast(label as integer) as label
from {{ read_artifact_csv('oof_predictions.csv') }}
