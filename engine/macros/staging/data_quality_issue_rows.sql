{#-
  leadscore.data_quality_issue_rows(checked, key, value_actions)
  The data_quality_issues rows of one staging "checked" model: its rejected rows
  (action row_rejected, from reject_reason / reject_column / reject_value) and, for accepted
  rows, one row per non-NULL <column><suffix> column, with the action value_actions[suffix]
  (default: __issue -> value_set_to_null) and the raw text from <column>__raw. Columns are
  discovered from the built relation, so a new check in a checked model is reported without
  touching data_quality_issues.
-#}
{% macro data_quality_issue_rows(checked, key, value_actions={'__issue': 'value_set_to_null'}) -%}
select
    source_file,
    cast({{ key }} as {{ dbt.type_string() }}) as row_key,
    source_line as line_number,
    reject_column as column_name,
    cast(reject_value as {{ dbt.type_string() }}) as raw_value,
    reject_reason as reason,
    'row_rejected' as action
from {{ checked }}
where reject_reason is not null
{%- if execute %}
{%- for col in adapter.get_columns_in_relation(checked) %}
{%- set name = col.name | lower %}
{%- for suffix, action in value_actions.items() if name.endswith(suffix) %}
{%- set column_name = name[:-(suffix | length)] %}
union all
select
    source_file,
    cast({{ key }} as {{ dbt.type_string() }}),
    source_line,
    '{{ column_name }}',
    cast({{ column_name }}__raw as {{ dbt.type_string() }}),
    {{ name }},
    '{{ action }}'
from {{ checked }}
where reject_reason is null and {{ name }} is not null
{%- endfor %}
{%- endfor %}
{%- endif %}
{%- endmacro %}
