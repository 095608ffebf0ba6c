{#-
  leadscore.keyed_rows(relation, key_expr, raw_file=none): every row of a raw reader with
    row_key         the cleaned key (key_expr),
    key_occurrence  1 for the first row with that key by line, 2+ for repeats (rejected),
    first_line      the line of the first row with that key.
  leadscore.duplicate_key_reason(label): the rejection text for a repeat, naming that first line
  (leadscore.line_reference spells the line part).
-#}
{#- Only the rows whose key repeats (or is missing) are ordered, and only their key and line:
    sorting every row with all its raw columns by key cost most of the staging time at scale
    (and spilled). `source_line` identifies a row of a raw reader (one file per reader).
    The rows are read three times (keys, repeats, all columns). From a table or a Parquet file
    each read touches only the columns it needs; sharing one CTE instead made DuckDB buffer
    every raw row, a third of the staging time at 100M events. A CSV file (`raw_file`: the path
    the relation reads, any file not ending in .parquet) is parsed once into that shared CTE:
    parsing it three times costs more than buffering, and its line numbers come from one read. -#}
{% macro keyed_rows(relation, key_expr, raw_file=none) -%}
{%- set parse_once = raw_file is not none and not (raw_file | lower).endswith('.parquet') -%}
{%- set rows = 'raw_rows' if parse_once else relation -%}
with
{%- if parse_once %}
raw_rows as (select * from {{ relation }}),
{%- endif %}
repeated_keys as (
    select {{ key_expr }} as row_key from {{ rows }} group by {{ key_expr }} having count(*) > 1
),
key_repeats as (
    select
        source_line,
        row_number() over (partition by row_key order by source_line) as key_occurrence,
        min(source_line) over (partition by row_key) as first_line
    from (select source_line, {{ key_expr }} as row_key from {{ rows }}) as keyed
    where row_key is null or row_key in (select row_key from repeated_keys)
)
select
    k.*,
    {{ key_expr }} as row_key,
    coalesce(rep.key_occurrence, 1) as key_occurrence,
    coalesce(rep.first_line, k.source_line) as first_line
from {{ rows }} as k
left join key_repeats as rep on rep.source_line = k.source_line
{%- endmacro %}

{% macro duplicate_key_reason(label, alias='r') -%}
'duplicate {{ label }} ' || {{ leadscore.line_reference((alias ~ '.' if alias else '') ~ 'first_line') }}
{%- endmacro %}

{#- '(first seen on line <n>)': one spelling, so renumber_lines can correct it. -#}
{% macro line_reference(line_expr) -%}
'(first seen on line ' || cast({{ line_expr }} as {{ dbt.type_string() }}) || ')'
{%- endmacro %}
