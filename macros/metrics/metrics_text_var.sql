{#- A text dbt var rendered as an escaped SQL string literal (single quotes doubled). -#}
{% macro metrics_text_var(name, default) -%}
  {%- set raw = var(name, default) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ ": must not be empty") }}
  {%- endif -%}
  '{{ (raw | string) | replace("'", "''") }}'
{%- endmacro %}
