{#-
  leadscore.keyed_rows(relation, key_expr): every row of a raw reader with
    row_key         the cleaned key (key_expr),
    key_occurrence  1 for the first row with that key by line, 2+ for repeats (rejected),
    first_line      the line of the first row with that key.
  leadscore.duplicate_key_reason(label): the rejection text for a repeat, naming that first line
  (leadscore.line_reference spells the line part).
-#}
{% macro keyed_rows(relation, key_expr) -%}
select
    *,
    {{ key_expr }} as row_key,
    row_number() over (partition by {{ key_expr }} order by source_line) as key_occurrence,
    min(source_line) over (partition by {{ key_expr }}) as first_line
from {{ relation }}
{%- endmacro %}

{% macro duplicate_key_reason(label, alias='r') -%}
'duplicate {{ label }} ' || {{ leadscore.line_reference(alias ~ '.first_line') }}
{%- endmacro %}

{#- '(first seen on line <n>)': one spelling, so renumber_lines can correct it. -#}
{% macro line_reference(line_expr) -%}
'(first seen on line ' || cast({{ line_expr }} as {{ dbt.type_string() }}) || ')'
{%- endmacro %}
