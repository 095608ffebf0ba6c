{#-
  leadscore.read_raw_file(table_name)
  Reads one file of the raw-data contract (source `raw`, table `table_name`) as text:
  every contract column as VARCHAR (absent optional columns as NULL), plus
    source_file  the file read (NULL when an optional file is absent),
    source_line  the CSV line number (header = line 1) or the Parquet row number (1-based).
  A missing required file or column stops the build with an error naming it.
  Dispatched: DuckDB reads `<raw_data_path>/<table_name>.parquet` or `.csv`; other
  adapters read the `raw` source as declared (e.g. an external table on Spark).
-#}
{% macro read_raw_file(table_name) -%}
  {{ return(adapter.dispatch('read_raw_file', 'leadscore')(table_name)) }}
{%- endmacro %}

{% macro raw_contract_columns(table_name) -%}
  {#- The contract's columns for one raw file, from the sources YAML (one place). -#}
  {%- set node = graph.sources['source.' ~ project_name ~ '.raw.' ~ table_name] -%}
  {{ return(node) }}
{%- endmacro %}

{% macro default__read_raw_file(table_name) -%}
  {%- set cols = [] -%}
  {%- if execute -%}{%- set cols = leadscore.raw_contract_columns(table_name).columns.keys() | list -%}{%- endif -%}
  select
    {%- for c in cols %}
    cast({{ adapter.quote(c) }} as {{ dbt.type_string() }}) as {{ c }},
    {%- endfor %}
    '{{ table_name }}' as source_file,
    row_number() over (order by 1) as source_line
  from {{ source('raw', table_name) }}
{%- endmacro %}

{% macro duckdb__read_raw_file(table_name) -%}
  {%- set folder = var('raw_data_path') | string -%}
  {%- set cols = [] -%}
  {%- set required = [] -%}
  {%- set file = none -%}
  {%- set node = none -%}
  {%- if execute -%}
    {%- set node = leadscore.raw_contract_columns(table_name) -%}
    {%- for name, col in node.columns.items() -%}
      {%- do cols.append(name) -%}
      {%- if col.meta.get('required') -%}{%- do required.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {#- Parquet wins over CSV when both exist. -#}
    {%- set found = run_query(
        "select file from glob('" ~ (folder ~ '/' ~ table_name ~ '.parquet') | replace("'", "''") ~ "') "
        ~ "union all select file from glob('" ~ (folder ~ '/' ~ table_name ~ '.csv') | replace("'", "''") ~ "')") -%}
    {%- if found.rows | length > 0 -%}{%- set file = found.rows[0][0] -%}{%- endif -%}
    {%- if file is none and node.meta.get('required_file', true) -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file missing: neither " ~ folder ~ "/" ~ table_name ~ ".csv nor "
          ~ table_name ~ ".parquet exists (var raw_data_path = '" ~ folder ~ "').") }}
    {%- endif -%}
  {%- endif -%}

  {%- if file is none -%}
  {#- Optional file absent (or parse time): an empty relation with the contract's columns. -#}
  select
    {%- for c in cols %}
    cast(null as varchar) as {{ c }},
    {%- endfor %}
    cast(null as varchar) as source_file,
    cast(null as bigint) as source_line
  where false
  {%- else -%}
    {%- set is_parquet = file.endswith('.parquet') -%}
    {%- set quoted = "'" ~ (file | replace("'", "''")) ~ "'" -%}
    {%- if is_parquet -%}
      {%- set reader = "read_parquet(" ~ quoted ~ ", file_row_number = true)" -%}
    {%- else -%}
      {%- set reader = "read_csv(" ~ quoted ~ ", all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')" -%}
    {%- endif -%}
    {%- set present = run_query("describe select * from " ~ reader).columns[0].values() | map('lower') | list -%}
    {%- set missing = required | reject('in', present) | list -%}
    {%- if missing -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file " ~ file ~ " is missing required column(s): " ~ missing | join(', ')
          ~ ". Found: " ~ present | join(', ') ~ ".") }}
    {%- endif -%}
  select
    {%- for c in cols %}
    {% if c in present %}cast({{ adapter.quote(c) }} as varchar){% else %}cast(null as varchar){% endif %} as {{ c }},
    {%- endfor %}
    {{ quoted }} as source_file,
    {% if is_parquet %}file_row_number + 1{% else %}row_number() over () + 1{% endif %} as source_line
  from {{ reader }}
  {%- endif -%}
{%- endmacro %}
