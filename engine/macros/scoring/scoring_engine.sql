{#- scoring_in_python(): whether lead_scores takes its margins from the Python model
    lead_margins (XGBoost in-process: DuckDB only, and not when var scoring_engine = 'sql').
    The same rule enables lead_margins in the engine's dbt_project.yml. -#}
{% macro scoring_in_python() -%}
  {{ return(target.type == 'duckdb' and var('scoring_engine') != 'sql') }}
{%- endmacro %}

{#- sql_margins(features): the margins compiled to SQL from the artifact's trees. -#}
{% macro sql_margins(features) -%}
  {#- raised when lead_scores runs, not at parse time: the rest of the project builds meanwhile -#}
  {%- if execute -%}{{ exceptions.raise_compiler_error("SQL scoring is not wired in yet") }}{%- endif -%}
{%- endmacro %}
