{#-
  spark__read_raw_file(table_name): the Spark reader of one raw-data contract file, with the
  same columns and values as duckdb__read_raw_file (see engine/macros/raw/read_raw_file.sql):
    - `<raw_data_path>/<table_name>.parquet` or `.csv`; both, a missing required file or a
      missing column stop the build naming it; an absent optional file is an empty relation;
    - CSV: header row, comma, RFC 4180 quotes ("" inside quotes; a quoted field may hold a
      line break: multiLine), every value a string, an empty field NULL;
    - source_file: the path as `<raw_data_path>/<file name>` (DuckDB spells it the same way);
    - source_line: CSV = the line in the file where the record starts (the header is line 1;
      the line breaks inside quoted fields of earlier records count, as on DuckDB). Parquet =
      the 1-based row number.
  A multiLine CSV file is read by a single task in file order, so monotonically_increasing_id()
  follows the records; a Parquet row's number is Spark's _metadata.row_index.
-#}
{% macro spark__read_raw_file(table_name) -%}
  {%- set folder = (var('raw_data_path') | string).rstrip('/') -%}
  {%- set contract = {'columns': [], 'required': [], 'required_file': true} -%}
  {%- set file = none -%}
  {%- if execute -%}
    {%- set contract = leadscore.spark_raw_contract(table_name) -%}
    {%- set file = leadscore.spark_raw_file_found(folder, table_name) -%}
    {#- Spark lists no zero-byte file: an empty export reads as absent, so the message says so -#}
    {%- if file is none and contract.required_file -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file missing or empty: neither " ~ folder ~ "/" ~ table_name ~ ".csv nor "
          ~ table_name ~ ".parquet exists with any content (var raw_data_path = '" ~ folder
          ~ "'; Spark does not see a zero-byte file).") }}
    {%- endif -%}
  {%- endif -%}
  {%- if file is none %}
  select
    {%- for c in contract.columns %}
    cast(null as {{ dbt.type_string() }}) as {{ c }},
    {%- endfor %}
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_line
  where false
  {%- else -%}
    {%- set is_parquet = file.endswith('.parquet') -%}
    {%- set reader = leadscore.spark_raw_reader(file) -%}
    {%- set present = run_query("select * from " ~ reader ~ " limit 0").column_names | map('lower') | list -%}
    {%- set missing = contract.required | reject('in', present) | list -%}
    {%- if missing -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file " ~ file ~ " is missing required column(s): " ~ missing | join(', ')
          ~ ". " ~ leadscore.found_columns(present)) }}
    {%- endif %}
  select
    {%- for c in contract.columns %}
    {% if c in present %}cast({{ adapter.quote(c) }} as {{ dbt.type_string() }}){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ c }},
    {%- endfor %}
    '{{ file | replace("\\", "\\\\") | replace("'", "\\'") }}' as source_file,
    {% if is_parquet %}_row_index + 1{% else %}row_number() over (order by _record_order) + 1
      + coalesce(sum(_line_breaks) over (order by _record_order rows between unbounded preceding and 1 preceding), 0){% endif %} as source_line
  from (
    select *, {% if is_parquet %}_metadata.row_index as _row_index{% else %}monotonically_increasing_id() as _record_order,
           {% for c in present %}coalesce(length({{ adapter.quote(c) }}) - length(replace({{ adapter.quote(c) }}, chr(10), '')), 0){% if not loop.last %} + {% endif %}{% endfor %} as _line_breaks{% endif %}
    from {{ reader }}
  ) as file_rows
  {%- endif -%}
{%- endmacro %}

{#- The contract of one raw file from the sources YAML: column names, required ones, whether
    the file itself is required. -#}
{% macro spark_raw_contract(table_name) -%}
  {%- set node = leadscore.raw_contract_columns(table_name) -%}
  {%- set contract = {'columns': [], 'required': [], 'required_file': node.meta.get('required_file', true)} -%}
  {%- for name, col in node.columns.items() -%}
    {%- do contract.columns.append(name) -%}
    {%- if col.meta.get('required') -%}{%- do contract.required.append(name) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(contract) }}
{%- endmacro %}

{#- The path of <folder>/<table_name>.parquet or .csv, none when neither exists (both stop
    the build: refuse_both_formats). Lists the folder's file names only (binaryFile reads no
    content for `path`); a folder that does not exist stops the build with Spark's
    PATH_NOT_FOUND naming it. -#}
{% macro spark_raw_file_found(folder, table_name) -%}
  {%- set listing = "select path from binaryFile." ~ leadscore.spark_path_literal(folder)
                    ~ " with ('pathGlobFilter' = '" ~ table_name ~ ".{parquet,csv}')" -%}
  {%- set names = [] -%}
  {%- for path in run_query(listing).columns[0].values() -%}
    {%- do names.append(path.rstrip('/').split('/')[-1]) -%}
  {%- endfor -%}
  {%- do leadscore.refuse_both_formats(folder, table_name, names) -%}
  {%- for ext in ['.parquet', '.csv'] if (table_name ~ ext) in names -%}
    {{ return(folder ~ '/' ~ table_name ~ ext) }}
  {%- endfor -%}
  {{ return(none) }}
{%- endmacro %}

{#- A raw file as a Spark relation: Parquet as it is, CSV with the contract's options. -#}
{% macro spark_raw_reader(path) -%}
  {%- if path.endswith('.parquet') -%}
    {{ return('parquet.' ~ leadscore.spark_path_literal(path)) }}
  {%- endif -%}
  {{ return('csv.' ~ leadscore.spark_path_literal(path)
            ~ " with ('header' = 'true', 'multiLine' = 'true', 'quote' = '\"', 'escape' = '\"', "
            ~ "'encoding' = 'UTF-8')") }}
{%- endmacro %}
