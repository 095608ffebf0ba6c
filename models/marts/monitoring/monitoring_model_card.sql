-- The facts of the active model card the monitoring marts use, in one row: the single place
-- that maps active_model's columns to monitoring's names. created_at is ISO-8601 text in the
-- card; its first 19 characters (YYYY-MM-DDTHH:MM:SS, UTC) are cast to a timestamp.
-- training_feature_as_of_max = the latest contacted_at the model was trained on.
select
    model_version,
    cast(substr(cast(created_at as {{ dbt.type_string() }}), 1, 19) as {{ dbt.type_timestamp() }}) as model_created_at,
    cast(base_rate as {{ type_double() }}) as training_base_rate,
    cast(training_rows as integer) as training_rows,
    cast(substr(cast(training_feature_as_of_max as {{ dbt.type_string() }}), 1, 19) as {{ dbt.type_timestamp() }}) as training_feature_as_of_max,
    cast(threshold_score as {{ type_double() }}) as threshold_score,
    cast(k_values as {{ dbt.type_string() }}) as k_values_text,
    cast(gate_proceed as {{ type_double() }}) as gate_proceed,
    cast(gate_recalibrate as {{ type_double() }}) as gate_recalibrate
from {{ ref('active_model') }}
