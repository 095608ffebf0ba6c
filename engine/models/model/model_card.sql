-- The deployed model in one typed row: version, training facts, calibration, the card's
-- target threshold and rollout gates (joined from model_thresholds / model_gates, so every
-- mart reads these facts from here). model_version = "<name>-<first 10 hex digits of
-- sha256(SHA256SUMS)>": any change to any artifact file is another version.
{%- set dir = leadscore.model_dir() %}
with model as (
    select * from {{ leadscore.artifact_table('model') }}
),
target_threshold as (
    select score, reached from {{ ref('model_thresholds') }} where threshold_rule = 'target'
),
gates as (
    select
        max(case when decision = 'proceed' then min_precision end) as gate_proceed,
        max(case when decision = 'recalibrate' then min_precision end) as gate_recalibrate
    from {{ ref('model_gates') }}
)
select
    cast(m.name as {{ dbt.type_string() }}) || '-' || substr({{ leadscore.file_sha256_sql(dir ~ '/SHA256SUMS') }}, 1, 10) as model_version,
    cast(m.name as {{ dbt.type_string() }}) as model_name,
    '{{ dir | replace("'", "''") }}' as model_dir,
    cast(m.created_at as {{ dbt.type_timestamp() }}) as created_at,
    cast(m.xgboost_version as {{ dbt.type_string() }}) as xgboost_version,
    cast(m.members as integer) as members,
    cast(m.feature_count as integer) as feature_count,
    cast(m.training_rows as integer) as training_rows,
    cast(m.training_positives as integer) as training_positives,
    cast(m.base_rate as {{ leadscore.type_double() }}) as base_rate,
    cast(m.trained_from as {{ dbt.type_timestamp() }}) as trained_from,
    cast(m.trained_through as {{ dbt.type_timestamp() }}) as trained_through,
    cast(m.calibration_method as {{ dbt.type_string() }}) as calibration_method,
    cast(m.calibration_a as {{ leadscore.type_double() }}) as calibration_a,
    cast(m.calibration_b as {{ leadscore.type_double() }}) as calibration_b,
    cast(m.calibration_var_a as {{ leadscore.type_double() }}) as calibration_var_a,
    cast(m.calibration_cov_ab as {{ leadscore.type_double() }}) as calibration_cov_ab,
    cast(m.calibration_var_b as {{ leadscore.type_double() }}) as calibration_var_b,
    cast(m.calibration_variance_factor as {{ leadscore.type_double() }}) as calibration_variance_factor,
    cast(m.learning_curve_reading as {{ dbt.type_string() }}) as learning_curve_reading,
    cast(m.target_precision as {{ leadscore.type_double() }}) as target_precision,
    t.score as threshold_score,
    t.reached as threshold_reached,
    g.gate_proceed,
    g.gate_recalibrate
from model as m
cross join target_threshold as t
cross join gates as g
