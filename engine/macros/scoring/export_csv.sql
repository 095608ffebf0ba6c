{#-
  leadscore.export_csv(relation, file_name, order_by): write a relation to <var export_dir>/<file_name> as
  CSV (header, comma), spreadsheet-safe (spreadsheet_safe). Adapter-dispatched:
  duckdb__export_csv uses COPY ... TO through a temporary file that replaces the target only
  once complete; other adapters log that the file was not written (the list stays in the
  outreach_export table).
-#}
{% macro export_csv(relation, file_name, order_by=none) -%}
  {{ return(adapter.dispatch('export_csv', 'leadscore')(relation, file_name, order_by)) }}
{%- endmacro %}

{% macro default__export_csv(relation, file_name, order_by=none) -%}
  {#- No portable file export: log and skip (the list stays in the outreach_export table). -#}
  {{ log("export_csv: CSV export is not supported on the " ~ target.type ~ " adapter; "
         ~ relation ~ " not written to " ~ file_name ~ " (read the outreach_export table instead)", info=true) }}
{%- endmacro %}

{% macro duckdb__export_csv(relation, file_name, order_by=none) -%}
  {%- set export_dir = leadscore.export_dir() -%}
  {%- if "'" in file_name -%}
    {{ exceptions.raise_compiler_error("export_csv: invalid file name: " ~ file_name) }}
  {%- endif -%}
  {%- set path = export_dir ~ '/' ~ file_name -%}
  {{ log("export_csv: writing " ~ relation ~ " to " ~ path, info=true) }}
  {#- COPY does not create folders: an empty partitioned write creates export_dir (one level).
      use_tmp_file: DuckDB writes tmp_<file_name> and renames it over the target when complete,
      so the target is never half-written. -#}
  {%- call statement('export_csv') -%}
  copy (select 1 as _p, 1 as _x where false) to '{{ export_dir }}'
    (format csv, partition_by (_p), overwrite_or_ignore true);
  copy ({{ leadscore.spreadsheet_safe_select(relation) }}{% if order_by %} order by {{ order_by }}{% endif %})
    to '{{ path }}' (format csv, header true, delimiter ',', use_tmp_file true)
  {%- endcall -%}
{%- endmacro %}

{#- The validated var export_dir, without a trailing slash. -#}
{% macro export_dir() -%}
  {%- set export_dir = ((var('export_dir') | string) | trim).rstrip('/') -%}
  {%- if export_dir == '' or "'" in export_dir -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var export_dir=" ~ var('export_dir') ~ ": must name a folder, without a quote") }}
  {%- endif -%}
  {{ return(export_dir) }}
{%- endmacro %}

{#- Every column of `relation`; text made safe for spreadsheets. -#}
{% macro spreadsheet_safe_select(relation) -%}
  {%- set columns = adapter.get_columns_in_relation(relation) -%}
  {%- if not columns -%}
    {{ exceptions.raise_compiler_error("export_csv: " ~ relation ~ " does not exist: build it first") }}
  {%- endif %}
select
  {%- for col in columns %}
    {% if col.is_string() %}{{ leadscore.spreadsheet_safe(adapter.quote(col.name)) }}{% else %}{{ adapter.quote(col.name) }}{% endif %} as {{ adapter.quote(col.name) }}
    {%- if not loop.last %},{% endif %}
  {%- endfor %}
from {{ relation }}
{%- endmacro %}

{#- Formula injection: a spreadsheet runs a cell that starts with =, +, -, @ (or a tab or
    carriage return before one) as a formula. Such text gets a leading apostrophe, which
    spreadsheets show as plain text (the usual neutralisation, OWASP "CSV injection"). -#}
{% macro spreadsheet_safe(expr) -%}
case when substr({{ expr }}, 1, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then chr(39) || {{ expr }} else {{ expr }} end
{%- endmacro %}


{#-
  leadscore.export_outreach_list(export_date): outreach_export to <var export_dir>/<list_file_name()>,
  ordered by list_position. Called only by commit_build / commit_build_on_run_end, i.e. for a
  build that succeeded: the list the outreach team works from is never one a failing test
  disowned.
-#}
{% macro export_outreach_list(export_date=none) -%}
  {%- do leadscore.export_csv(leadscore.model_relation('outreach_export'),
                              leadscore.list_file_name(export_date), 'list_position') -%}
{%- endmacro %}

{#- The list's file name, by the day it is for. A build of the current data (var as_of empty):
    outreach_list_YYYYMMDD.csv, export_date (default the day the run started, UTC). A build at a
    set moment (a backfill): outreach_list_as_of_YYYYMMDD[THHMMSS].csv, so it never replaces the
    current list. -#}
{% macro list_file_name(export_date=none) -%}
  {%- set as_of = leadscore.backfill_as_of() -%}
  {%- if as_of is not none -%}
    {%- set stamp = as_of[:10] | replace('-', '') -%}
    {%- set clock = as_of[11:] | replace(':', '') -%}
    {{ return('outreach_list_as_of_' ~ stamp ~ ('' if clock == '000000' else 'T' ~ clock) ~ '.csv') }}
  {%- endif -%}
  {%- set day = (export_date | string) if export_date else run_started_at.strftime('%Y%m%d') -%}
  {%- if not modules.re.fullmatch('[0-9]{8}', day) -%}
    {{ exceptions.raise_compiler_error("export_outreach_list: export_date must be YYYYMMDD, got " ~ day) }}
  {%- endif -%}
  {{ return('outreach_list_' ~ day ~ '.csv') }}
{%- endmacro %}
