-- The facts of the active model card the monitoring marts use, in one row: the single place
-- that maps active_model's columns to monitoring's names.
select
    model_version,
    created_at as model_created_at,
    cast(training_base_rate as double precision) as training_base_rate,
    cast(training_rows as integer) as training_rows,
    training_feature_as_of_max,
    cast(threshold_score as double precision) as threshold_score,
    cast(k_values as {{ dbt.type_string() }}) as k_values_text,
    cast(gate_proceed as double precision) as gate_proceed,
    cast(gate_recalibrate as double precision) as gate_recalibrate
from {{ ref('active_model') }}
