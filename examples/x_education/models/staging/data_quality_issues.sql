-- One row per problem found in the X Education file (same columns as the main project's
-- data_quality_issues): a rejected row (row_rejected), a bad value set to NULL in a row that
-- is still used (value_set_to_null, from <col>__issue) or an undeclared answer encoded as
-- category 'other' (mapped_to_other, from <col>__unknown).
{%- set rel = ref('stg_xed_leads_checked') %}
select
    source_file,
    cast(lead_id as {{ dbt.type_string() }}) as row_key,
    source_line as line_number,
    reject_column as column_name,
    cast(reject_value as {{ dbt.type_string() }}) as raw_value,
    reject_reason as reason,
    'row_rejected' as action
from {{ rel }}
where reject_reason is not null
{%- if execute %}
{%- for col in adapter.get_columns_in_relation(rel) %}
{%- set n = col.name | lower %}
{%- if n.endswith('__issue') or n.endswith('__unknown') %}
{%- set column_name = n.rsplit('__', 1)[0] %}
union all
select
    source_file,
    cast(lead_id as {{ dbt.type_string() }}),
    source_line,
    '{{ column_name }}',
    cast({{ column_name }}__raw as {{ dbt.type_string() }}),
    {{ n }},
    '{{ "value_set_to_null" if n.endswith("__issue") else "mapped_to_other" }}'
from {{ rel }}
where reject_reason is null and {{ n }} is not null
{%- endif %}
{%- endfor %}
{%- endif %}
