{#- A numeric dbt var parsed and range-checked in Jinja, rendered back from the parsed number
    (never the raw text, so a var cannot inject SQL). Stops compilation when invalid. -#}
{% macro metrics_number_var(name, default, min_value=none, max_value=none) -%}
  {%- set raw = var(name, default) -%}
  {%- set text = (raw | string) | trim -%}
  {%- if raw is sameas true or raw is sameas false or raw is none
        or not modules.re.fullmatch('-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?', text) -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected a number") }}
  {%- endif -%}
  {%- set value = text | float -%}
  {%- if (min_value is not none and value < min_value) or (max_value is not none and value > max_value) -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": must be between "
        ~ min_value ~ " and " ~ max_value) }}
  {%- endif -%}
  {{- return(value) -}}
{%- endmacro %}
