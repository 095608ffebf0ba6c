{#-
  Reading files from SQL, the same way on every adapter: a path is taken literally (no glob
  patterns: `[1]` or `*` in a folder name never read another folder).

  file_lines_sql(path)     select of the text file's lines (column line)
  file_sha256_sql(path)    scalar subquery: sha256 (lower-case hex) of the file's bytes
  jsonl_relation(path)     a JSON-lines file as a relation (one column per key)
-#}

{#- A DuckDB path literal with glob characters escaped ([[] matches a literal [), followed by
    an unescaped `suffix` (e.g. '/*' to list a folder whose own name is taken literally). -#}
{% macro duckdb_path_literal(path, suffix='') -%}
  {%- set escaped = path | replace('[', '[[]') | replace('*', '[*]') | replace('?', '[?]') -%}
  '{{ (escaped ~ suffix) | replace("'", "''") }}'
{%- endmacro %}

{#- A Spark path in back-quotes for format.`path` queries. Spark expands glob patterns in such
    a path, so a path holding a glob character (or a back-quote) is refused, not reinterpreted. -#}
{% macro spark_path_literal(path) -%}
  {%- if modules.re.search('[`*?\\[\\]{}\\\\]', path) -%}
    {{ exceptions.raise_compiler_error("a path holding one of ` * ? [ ] { } \\ cannot be read on Spark "
                                       ~ "(Spark would read it as a pattern): " ~ path) }}
  {%- endif -%}
  `{{ path }}`
{%- endmacro %}

{% macro file_lines_sql(path) -%}
  {{ return(adapter.dispatch('file_lines_sql', 'leadscore')(path)) }}
{%- endmacro %}

{% macro duckdb__file_lines_sql(path) -%}
  select unnest(string_split(content, chr(10))) as line from read_text({{ leadscore.duckdb_path_literal(path) }})
{%- endmacro %}

{% macro spark__file_lines_sql(path) -%}
  select value as line from text.{{ leadscore.spark_path_literal(path) }}
{%- endmacro %}

{% macro file_sha256_sql(path) -%}
  {{ return(adapter.dispatch('file_sha256_sql', 'leadscore')(path)) }}
{%- endmacro %}

{% macro duckdb__file_sha256_sql(path) -%}
  (select sha256(content) from read_blob({{ leadscore.duckdb_path_literal(path) }}))
{%- endmacro %}

{% macro spark__file_sha256_sql(path) -%}
  (select sha2(content, 256) from binaryFile.{{ leadscore.spark_path_literal(path) }})
{%- endmacro %}

{% macro jsonl_relation(path) -%}
  {{ return(adapter.dispatch('jsonl_relation', 'leadscore')(path)) }}
{%- endmacro %}

{% macro duckdb__jsonl_relation(path) -%}
  read_json({{ leadscore.duckdb_path_literal(path) }}, format = 'newline_delimited')
{%- endmacro %}

{% macro spark__jsonl_relation(path) -%}
  json.{{ leadscore.spark_path_literal(path) }}
{%- endmacro %}
