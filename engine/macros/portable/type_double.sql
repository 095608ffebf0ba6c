{#- The 64-bit floating-point type, spelled as each engine wants it. Every feature, score and
    statistic is cast with it; dbt.type_float() renders a 32-bit FLOAT on some adapters. -#}
{% macro type_double() -%}
  {{ return(adapter.dispatch('type_double', 'leadscore')()) }}
{%- endmacro %}

{#- DuckDB, Spark / Databricks, Snowflake, Trino: DOUBLE. -#}
{% macro default__type_double() -%}double{%- endmacro %}

{% macro postgres__type_double() -%}double precision{%- endmacro %}

{% macro redshift__type_double() -%}double precision{%- endmacro %}

{% macro bigquery__type_double() -%}float64{%- endmacro %}
