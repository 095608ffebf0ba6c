{#- dbt's safe_cast falls back to a plain (failing) cast on DuckDB; staging needs
    "NULL when unparseable", which DuckDB spells try_cast. -#}
{% macro duckdb__safe_cast(field, type) -%}
  try_cast({{ field }} as {{ type }})
{%- endmacro %}
