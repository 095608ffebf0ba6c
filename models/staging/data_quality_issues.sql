-- One row per problem found in the raw files: a rejected row (action row_rejected) or a
-- bad value set to NULL in a row that is still used (action value_set_to_null).
-- Value checks are discovered from the checked models' <column>__issue columns, so a new
-- check in a staging model is reported here without touching this file.
{%- set checked = [
    ('stg_leads_checked', 'lead_id'),
    ('stg_activities_checked', 'activity_id'),
    ('stg_outreach_checked', 'contact_id'),
    ('stg_do_not_contact_checked', 'lead_id'),
] %}

{%- for model_name, key in checked %}
{%- set rel = ref(model_name) %}
select
    source_file,
    cast({{ key }} as {{ dbt.type_string() }}) as row_key,
    source_line as line_number,
    reject_column as column_name,
    cast(reject_value as {{ dbt.type_string() }}) as raw_value,
    reject_reason as reason,
    'row_rejected' as action
from {{ rel }}
where reject_reason is not null
{%- if execute %}
{%- for col in adapter.get_columns_in_relation(rel) if col.name.endswith('__issue') %}
{%- set column_name = col.name[:-7] %}
union all
select
    source_file,
    cast({{ key }} as {{ dbt.type_string() }}),
    source_line,
    '{{ column_name }}',
    cast({{ column_name }}__raw as {{ dbt.type_string() }}),
    {{ col.name }},
    'value_set_to_null'
from {{ rel }}
where reject_reason is null and {{ col.name }} is not null
{%- endfor %}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
