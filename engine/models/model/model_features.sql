-- The model's features in booster order, with the plain-words label reason codes show.
select
    cast(position as integer) as position,
    cast(name as {{ dbt.type_string() }}) as feature,
    cast(type as {{ dbt.type_string() }}) as data_type,
    cast(label as {{ dbt.type_string() }}) as label,
    cast(known_before_contact as boolean) as known_before_contact
from {{ leadscore.artifact_table('features') }}
