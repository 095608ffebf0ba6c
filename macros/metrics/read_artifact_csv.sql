{#- read_artifact_csv(file_name): one CSV file of the model artifact folder (var model_dir,
    default ml/artifacts/linkedin_sample), every column as text. Dispatched: DuckDB reads the
    file directly; other adapters must provide their own implementation (e.g. a stage or an
    external table). -#}
{% macro read_artifact_csv(file_name) -%}
  {{ return(adapter.dispatch('read_artifact_csv')(file_name)) }}
{%- endmacro %}

{% macro default__read_artifact_csv(file_name) -%}
  {%- if execute -%}
  {{ exceptions.raise_compiler_error(
      "read_artifact_csv: no implementation for adapter " ~ adapter.type()
      ~ "; load " ~ file_name ~ " of the model artifact into a table and override this macro.") }}
  {%- endif -%}
{%- endmacro %}

{% macro duckdb__read_artifact_csv(file_name) -%}
  {%- set path = (var('model_dir') | string) ~ '/' ~ file_name -%}
  read_csv('{{ path | replace("'", "''") }}', all_varchar = true, header = true)
{%- endmacro %}

