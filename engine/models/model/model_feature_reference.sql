-- The training rows' feature values, frozen in the artifact when it was trained
-- (tables/feature_reference.jsonl, written by leadscore train): one row per feature and distinct
-- value, NULL included, with how many training rows held it. feature_drift compares today's
-- features with these, so a change in how the raw data reads (units, parsing) shows as drift,
-- although it also changes today's rebuild of the training rows.
select
    cast(feature as {{ dbt.type_string() }}) as feature,
    cast(value as {{ leadscore.type_double() }}) as value,
    cast(value_count as {{ dbt.type_bigint() }}) as value_count
from {{ leadscore.artifact_table('feature_reference') }}
