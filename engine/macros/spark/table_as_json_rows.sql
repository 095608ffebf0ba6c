{#-
  leadscore.table_as_json_rows(schema, identifier): a select that hands a whole table to Python
  through `dbt show --output json` (leadscore.dbt_read), for warehouses Python cannot open as a
  file. Two columns, so dbt's type inference never touches a value:
    part = 0, payload = JSON list of [column name, column type] in table order (one row);
    part = 1, payload = one table row as a JSON object (NULL fields left out).
  `schema` empty = the target schema. Dispatched: Spark formats rows with to_json (timestamps
  in the session time zone, UTC; doubles round-trip exactly).
-#}
{% macro table_as_json_rows(schema, identifier) -%}
  {{ return(adapter.dispatch('table_as_json_rows', 'leadscore')(schema, identifier)) }}
{%- endmacro %}

{% macro default__table_as_json_rows(schema, identifier) -%}
  {{ exceptions.raise_compiler_error("table_as_json_rows is not implemented on the " ~ target.type
                                     ~ " adapter (leadscore train reads DuckDB files directly)") }}
{%- endmacro %}

{% macro spark__table_as_json_rows(schema, identifier) -%}
  {%- if not execute -%}{{ return("select 0 as part, '' as payload") }}{%- endif -%}
  {%- set relation = adapter.get_relation(database=none, schema=schema or target.schema, identifier=identifier) -%}
  {%- if relation is none -%}
    {{ exceptions.raise_compiler_error("table " ~ (schema or target.schema) ~ "." ~ identifier
                                       ~ " not found on target " ~ target.name ~ " (run dbt build first)") }}
  {%- endif -%}
  {%- set columns = [] -%}
  {%- for c in adapter.get_columns_in_relation(relation) -%}
    {%- do columns.append([c.name, c.dtype]) -%}
  {%- endfor -%}
  select 0 as part, '{{ tojson(columns) | replace("\\", "\\\\") | replace("'", "\\'") }}' as payload
  union all
  select 1 as part, to_json(struct(*), map('timestampFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")) as payload
  from {{ relation }}
{%- endmacro %}
