{#- leadscore.columns_as_rows(relation, columns): one row per (column, row of relation) - the long form
    PSI needs - with the column name in `feature` and its value as a double in `value`; an
    empty relation of that shape when `columns` is empty. `relation` may be a CTE name. -#}
{% macro columns_as_rows(relation, columns) -%}
  {{ return(adapter.dispatch('columns_as_rows', 'leadscore')(relation, columns)) }}
{%- endmacro %}

{% macro default__columns_as_rows(relation, columns) -%}
  {%- for f in columns %}
    select '{{ f }}' as feature, cast({{ adapter.quote(f) }} as {{ leadscore.type_double() }}) as value from {{ relation }}
    {%- if not loop.last %} union all{% endif %}
  {%- endfor %}
  {%- if not columns %}
    select cast(null as {{ dbt.type_string() }}) as feature, cast(null as {{ leadscore.type_double() }}) as value where 1 = 0
  {%- endif %}
{%- endmacro %}
