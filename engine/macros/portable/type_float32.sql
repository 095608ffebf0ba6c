{#- The 32-bit (single precision) floating-point type. The SQL booster scorer compares and adds
    in it, as XGBoost does (macros/scoring/xgboost_sql.sql). Beware: FLOAT is 32-bit on DuckDB
    and Spark / Databricks but 64-bit on Postgres, Redshift, Snowflake and BigQuery; Snowflake
    and BigQuery have no 32-bit type at all (scores there are not bit-identical to XGBoost). -#}
{% macro type_float32() -%}
  {{ return(adapter.dispatch('type_float32', 'leadscore')()) }}
{%- endmacro %}

{#- DuckDB (FLOAT = FLOAT4), Spark / Databricks (FLOAT = 4 bytes). -#}
{% macro default__type_float32() -%}float{%- endmacro %}

{% macro postgres__type_float32() -%}real{%- endmacro %}

{% macro redshift__type_float32() -%}real{%- endmacro %}

{% macro trino__type_float32() -%}real{%- endmacro %}
