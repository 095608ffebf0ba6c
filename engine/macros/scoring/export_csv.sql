{#-
  leadscore.export_csv(relation, file_name, order_by): write a relation to <var export_dir>/<file_name> as
  CSV (header, comma). Called by export_outreach_list at the end of a run. Adapter-dispatched:
  duckdb__export_csv uses COPY ... TO; other adapters log that the file was not written (the
  list stays in the outreach_export table).
-#}
{% macro export_csv(relation, file_name, order_by=none) -%}
  {{ return(adapter.dispatch('export_csv', 'leadscore')(relation, file_name, order_by)) }}
{%- endmacro %}

{% macro default__export_csv(relation, file_name, order_by=none) -%}
  {#- No portable file export: log and skip (the list stays in the outreach_export table). -#}
  {{ log("export_csv: CSV export is not supported on the " ~ target.type ~ " adapter; "
         ~ relation ~ " not written to " ~ file_name ~ " (read the outreach_export table instead)", info=true) }}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__export_csv(relation, file_name, order_by=none) -%}
  {%- set export_dir = (var('export_dir') | string) | trim -%}
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


{#-
  leadscore.export_outreach_list(results): the on-run-end hook (dbt_project.yml). Writes outreach_export
  to <var export_dir>/outreach_list_YYYYMMDD.csv only when outreach_export was built in this
  run and no node of the run (model, seed or test) failed, errored or was skipped - the list
  the outreach team works from is never one a failing test disowned.
-#}
{% macro export_outreach_list(results) -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set built = results | selectattr('node.name', 'equalto', 'outreach_export')
                  | selectattr('status', 'equalto', 'success') | list -%}
  {%- set bad = results | selectattr('status', 'in', ['error', 'fail', 'skipped', 'runtime error']) | list -%}
  {%- if not built -%}{{ return('') }}{%- endif -%}
  {%- if bad -%}
    {{ log("export_outreach_list: not exported, " ~ (bad | length) ~ " node(s) of this run did not pass", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {%- set node = built[0].node -%}
  {%- set relation = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
  {{ leadscore.export_csv(relation, 'outreach_list_' ~ run_started_at.strftime('%Y%m%d') ~ '.csv', 'list_position') }}
{%- endmacro %}
