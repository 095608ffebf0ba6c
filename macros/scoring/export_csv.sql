{#-
  export_csv(relation, file_name, order_by): write a relation to <var export_dir>/<file_name> as
  CSV (header, comma). Used as a post-hook of outreach_export. Adapter-dispatched:
  duckdb__export_csv uses COPY ... TO; other adapters raise a clear error.
-#}
{% macro export_csv(relation, file_name, order_by=none) -%}
  {{ return(adapter.dispatch('export_csv')(relation, file_name, order_by)) }}
{%- endmacro %}

{% macro default__export_csv(relation, file_name, order_by=none) -%}
  {{ exceptions.raise_compiler_error(
      "export_csv: CSV export is not supported on the " ~ target.type ~ " adapter "
      ~ "(only duckdb); disable the outreach_export model or export the list with your warehouse's tools") }}
{%- endmacro %}

{% macro duckdb__export_csv(relation, file_name, order_by=none) -%}
  {%- set export_dir = (var('export_dir', 'exports') | string) | trim -%}
  {%- if export_dir == '' or "'" in export_dir or "'" in file_name -%}
    {{ exceptions.raise_compiler_error("export_csv: invalid export_dir/file name: " ~ export_dir ~ "/" ~ file_name) }}
  {%- endif -%}
  {%- set path = export_dir.rstrip('/') ~ '/' ~ file_name -%}
  {%- if execute %}{{ log("export_csv: writing " ~ relation ~ " to " ~ path, info=true) }}{% endif %}
  {#- COPY does not create folders: an empty partitioned write creates export_dir (one level). -#}
  copy (select 1 as _p, 1 as _x where false) to '{{ export_dir }}'
    (format csv, partition_by (_p), overwrite_or_ignore true);
  copy (select * from {{ relation }}{% if order_by %} order by {{ order_by }}{% endif %})
    to '{{ path }}' (format csv, header true, delimiter ',')
{%- endmacro %}
