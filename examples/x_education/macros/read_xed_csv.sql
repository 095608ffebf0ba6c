{#-
  read_xed_csv(): the X Education CSV (var xed_data_path) with every column as text, plus
  source_file and source_line (header = line 1). Dispatched: DuckDB reads the file directly;
  other adapters must load it into a table and override default__read_xed_csv.
-#}
{% macro read_xed_csv() -%}
  {{ return(adapter.dispatch('read_xed_csv')()) }}
{%- endmacro %}

{% macro default__read_xed_csv() -%}
  {{ exceptions.raise_compiler_error(
      "read_xed_csv: no implementation for adapter " ~ adapter.type()
      ~ "; load the X Education CSV into a table and override default__read_xed_csv.") }}
{%- endmacro %}

{% macro duckdb__read_xed_csv() -%}
  {%- set path = var('xed_data_path') | string -%}
  {%- if execute -%}
    {%- set found = run_query("select file from glob('" ~ path | replace("'", "''") ~ "')") -%}
    {%- if found.rows | length == 0 -%}
      {{ exceptions.raise_compiler_error(
          "X Education data file not found: " ~ path ~ " (var xed_data_path; relative paths "
          ~ "resolve against examples/x_education). Pass its path: make x-education XED_DATA=...") }}
    {%- endif -%}
  {%- endif -%}
  {%- set quoted = "'" ~ (path | replace("'", "''")) ~ "'" -%}
  select *, {{ quoted }} as source_file, row_number() over () + 1 as source_line
  from read_csv({{ quoted }}, all_varchar = true, header = true, delim = ',', quote = '"', escape = '"')
{%- endmacro %}
