{#-
  leadscore.read_file(table_name, path_var='raw_data_path')
  Reads ONE raw file, whose path is the value of the calling project's var `path_var` (a file,
  not a folder as for read_raw_file), as text, per that project's raw-data contract: source
  `raw`, table `table_name`, in its sources YAML. Each contract column is read from the file
  column titled meta.header (for titles that are not identifiers, e.g. "Prospect ID"), else
  from the column of its name, and returned under its name; absent optional columns are NULL.
  Plus, as read_raw_file:
    source_file  the path read,
    source_line  the CSV line number (header = line 1; a quoted value spanning lines counts
                 every line) or the Parquet row number (1-based).
  `.parquet` is read as Parquet, any other file as CSV (UTF-8, header row, comma separated).
  A missing file or required (meta.required) column stops the build naming it and the var; a
  malformed CSV line (a field too many or too few, bytes that are not UTF-8) stops it naming
  the file and DuckDB's record count as the line (`leadscore build` adds the file's line:
  build.physical_line_of_record); read_raw_file, with its folder contract, keeps such a line
  as a rejected row instead.
  Dispatched: DuckDB reads the file; other adapters read the `raw` source as declared.
-#}
{% macro read_file(table_name, path_var='raw_data_path') -%}
  {{ return(adapter.dispatch('read_file', 'leadscore')(table_name, path_var)) }}
{%- endmacro %}

{#- The contract of source raw.<table_name>: [(name, header in the file, required)]. -#}
{% macro file_contract(table_name) -%}
  {%- set node = graph.sources.get('source.' ~ project_name ~ '.raw.' ~ table_name) -%}
  {%- if node is none -%}
    {{ exceptions.raise_compiler_error(
        "read_file('" ~ table_name ~ "'): declare the file's columns as table " ~ table_name
        ~ " of source raw in project " ~ project_name ~ "'s sources YAML") }}
  {%- endif -%}
  {%- set columns = [] -%}
  {%- for name, col in node.columns.items() -%}
    {%- do columns.append((name, col.meta.get('header', name), col.meta.get('required', false))) -%}
  {%- endfor -%}
  {{ return(columns) }}
{%- endmacro %}

{% macro default__read_file(table_name, path_var) -%}
  {%- set columns = leadscore.file_contract(table_name) if execute else [] -%}
  select
    {%- for name, header, required in columns %}
    cast({{ adapter.quote(header) }} as {{ dbt.type_string() }}) as {{ name }},
    {%- endfor %}
    '{{ table_name }}' as source_file,
    row_number() over (order by 1) as source_line
  from {{ source('raw', table_name) }}
{%- endmacro %}

{% macro duckdb__read_file(table_name, path_var) -%}
  {%- set path = var(path_var) | string | trim -%}
  {%- if not execute -%}
  {#- parse time: no file access -#}
  select cast(null as varchar) as source_file, cast(null as bigint) as source_line where false
  {%- else -%}
    {%- set columns = leadscore.file_contract(table_name) -%}
    {%- set literal = leadscore.duckdb_path_literal(path) -%}
    {%- if not path or run_query("select file from glob(" ~ literal ~ ")").rows | length == 0 -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file not found: '" ~ path ~ "' (var " ~ path_var ~ "; a relative path "
          ~ "resolves against the folder dbt runs in: `leadscore build` runs it in the project folder)") }}
    {%- endif -%}
    {%- set is_parquet = path.lower().endswith('.parquet') -%}
    {%- if is_parquet -%}
      {%- set reader = "read_parquet(" ~ literal ~ ", file_row_number = true)" -%}
      {%- set header = run_query("describe select * from " ~ reader).columns[0].values() | list -%}
    {%- else -%}
      {#- the header given, nothing sniffed: a malformed line stops the read naming its line -#}
      {%- set header = leadscore.csv_header(path, columns | map(attribute=1) | list) -%}
      {%- set reader = leadscore.duckdb_raw_reader(path, header, store_rejects=false) -%}
    {%- endif -%}
    {%- set present = header | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for name, header, required in columns if required and header | lower not in present -%}
      {%- do missing.append(header) -%}
    {%- endfor -%}
    {%- if missing and not is_parquet -%}{%- do leadscore.refuse_unreadable_csv_header(path) -%}{%- endif -%}
    {%- if missing -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file " ~ path ~ " (var " ~ path_var ~ ") is missing required column(s): "
          ~ missing | join(', ') ~ ". " ~ leadscore.found_columns(present)) }}
    {%- endif -%}
  select
    {%- for name, header, required in columns %}
    {% if header | lower in present %}cast({{ adapter.quote(header) }} as varchar){% else %}cast(null as varchar){% endif %} as {{ name }},
    {%- endfor %}
    '{{ path | replace("'", "''") }}' as source_file,
    {%- if is_parquet %}
    file_row_number + 1 as source_line
  from {{ reader }}
    {%- else %}
    {{ leadscore.csv_source_line() }} as source_line
  from {{ leadscore.csv_records(reader, header) }}
    {%- endif %}
  {%- endif -%}
{%- endmacro %}
