{#-
  Writing files from Spark SQL. Spark writes a query to a folder of part files
  (INSERT OVERWRITE DIRECTORY); a single part file needs one partition, which the
  COALESCE(1) hint gives without a shuffle, so an ORDER BY inside keeps its order.

  spark_write_directory(select_sql, folder, file_format, options)
      write the select's rows to `folder` (replaced) as one part file
  spark__export_csv(relation, file_name, order_by)
      the Spark side of leadscore.export_csv: <export_dir>/<file_name>.parts/part-*.csv with
      a header and RFC 4180 quoting. Spark cannot name the file itself, so `leadscore build
      --target spark` then moves that part file to <export_dir>/<file_name> (atomic rename)
      and removes the folder (leadscore.spark.finish_exports); a plain `dbt build` leaves
      the folder and logs it.
  spark_copy_tables(tables, folder)
      `dbt run-operation`: each table of the target schema to <folder>/<table>/ as Parquet
      (timestamps as microseconds), e.g. to compare a Spark build with a DuckDB one.
-#}
{% macro spark_write_directory(select_sql, folder, file_format, options={}) -%}
  {%- if "'" in folder or folder | trim == '' -%}
    {{ exceptions.raise_compiler_error("spark_write_directory: invalid folder: '" ~ folder ~ "'") }}
  {%- endif -%}
  {%- set option_sql -%}
    {%- for key, value in options.items() %}'{{ key }}' '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'{% if not loop.last %}, {% endif %}{% endfor -%}
  {%- endset -%}
  {%- do run_query("insert overwrite directory '" ~ folder ~ "' using " ~ file_format
                   ~ (" options (" ~ option_sql ~ ")" if options else "")
                   ~ " select /*+ COALESCE(1) */ * from (" ~ select_sql ~ ") as rows_to_write") -%}
{%- endmacro %}

{% macro spark__export_csv(relation, file_name, order_by=none) -%}
  {%- set export_dir = (var('export_dir') | string | trim).rstrip('/') -%}
  {%- if export_dir == '' or '/' in file_name -%}
    {{ exceptions.raise_compiler_error("export_csv: invalid export_dir/file name: " ~ export_dir ~ "/" ~ file_name) }}
  {%- endif -%}
  {%- set folder = export_dir ~ '/' ~ file_name ~ '.parts' -%}
  {%- set select_sql = leadscore.spreadsheet_safe_select(relation) ~ (" order by " ~ order_by if order_by else "") -%}
  {%- do leadscore.spark_write_directory(select_sql, folder, 'csv',
        {'header': 'true', 'quote': '"', 'escape': '"', 'encoding': 'UTF-8'}) -%}
  {{ log("export_csv: wrote " ~ relation ~ " to the folder " ~ folder ~ " (one part file); `leadscore build "
         ~ "--target spark` renames it to " ~ export_dir ~ "/" ~ file_name, info=true) }}
  {{ return('') }}
{%- endmacro %}

{% macro spark_copy_tables(tables, folder) -%}
  {%- do run_query("set spark.sql.parquet.outputTimestampType = TIMESTAMP_MICROS") -%}
  {%- for table in tables -%}
    {%- set relation = adapter.get_relation(database=none, schema=target.schema, identifier=table) -%}
    {%- if relation is none -%}
      {{ exceptions.raise_compiler_error("spark_copy_tables: no table " ~ target.schema ~ "." ~ table) }}
    {%- endif -%}
    {%- do leadscore.spark_write_directory("select * from " ~ relation, folder ~ '/' ~ table, 'parquet') -%}
  {%- endfor -%}
  {{ log("spark_copy_tables: " ~ tables | length ~ " table(s) copied to " ~ folder, info=true) }}
{%- endmacro %}
