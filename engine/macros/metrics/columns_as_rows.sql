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

{#- leadscore.columns_as_value_counts(relation, columns): the long form of columns_as_rows with
    one row per (column, distinct value) - feature, value (a double; NULL for missing) and
    value_count - so drift bins each distinct value once (1M leads have ~44k distinct feature
    values, not 47M). Each column is read and grouped on its own (no unpivot of every value). -#}
{% macro columns_as_value_counts(relation, columns) -%}
  {%- for f in columns %}
    select '{{ f }}' as feature, cast({{ adapter.quote(f) }} as {{ leadscore.type_double() }}) as value,
      count(*) as value_count
    from {{ relation }}
    group by cast({{ adapter.quote(f) }} as {{ leadscore.type_double() }})
    {%- if not loop.last %} union all{% endif %}
  {%- endfor %}
  {%- if not columns %}
    select cast(null as {{ dbt.type_string() }}) as feature, cast(null as {{ leadscore.type_double() }}) as value,
      cast(0 as {{ dbt.type_bigint() }}) as value_count where 1 = 0
  {%- endif %}
{%- endmacro %}
