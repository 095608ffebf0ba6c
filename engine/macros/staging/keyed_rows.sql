{#-
  leadscore.keyed_rows(relation, key_expr): every row of a raw reader with
    row_key         the cleaned key (key_expr),
    key_occurrence  1 for the first row with that key by line, 2+ for repeats (rejected),
    first_line      the line of the first row with that key.
  leadscore.duplicate_key_reason(label): the rejection text for a repeat, naming that first line
  (leadscore.line_reference spells the line part).
-#}
{#- Only the rows whose key repeats (or is missing) are ordered, and only their key and line:
    sorting every row with all its raw columns by key cost most of the staging time at scale
    (and spilled). `source_line` identifies a row of a raw reader (one file per reader). -#}
{% macro keyed_rows(relation, key_expr) -%}
with keyed_raw as (
    select *, {{ key_expr }} as row_key from {{ relation }}
),
repeated_keys as (
    select row_key from keyed_raw group by row_key having count(*) > 1
),
key_repeats as (
    select
        source_line,
        row_number() over (partition by row_key order by source_line) as key_occurrence,
        min(source_line) over (partition by row_key) as first_line
    from keyed_raw
    where row_key is null or row_key in (select row_key from repeated_keys)
)
select
    k.*,
    coalesce(rep.key_occurrence, 1) as key_occurrence,
    coalesce(rep.first_line, k.source_line) as first_line
from keyed_raw as k
left join key_repeats as rep on rep.source_line = k.source_line
{%- endmacro %}

{% macro duplicate_key_reason(label, alias='r') -%}
'duplicate {{ label }} ' || {{ leadscore.line_reference(alias ~ '.first_line') }}
{%- endmacro %}

{#- '(first seen on line <n>)': one spelling, so renumber_lines can correct it. -#}
{% macro line_reference(line_expr) -%}
'(first seen on line ' || cast({{ line_expr }} as {{ dbt.type_string() }}) || ')'
{%- endmacro %}
