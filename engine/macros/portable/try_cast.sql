{#- leadscore.try_cast(expr, type): the value as `type`, NULL when it does not parse. dbt's safe_cast is a
    plain (failing) cast on DuckDB and, on Spark, NULL-on-failure only while ANSI mode is off;
    both engines spell the safe version try_cast. -#}
{% macro try_cast(expr, type) -%}
  {{ return(adapter.dispatch('try_cast', 'leadscore')(expr, type)) }}
{%- endmacro %}

{% macro default__try_cast(expr, type) -%}
  {{ dbt.safe_cast(expr, type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expr, type) -%}
  try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{% macro spark__try_cast(expr, type) -%}
  try_cast({{ expr }} as {{ type }})
{%- endmacro %}
