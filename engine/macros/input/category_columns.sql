{#-
  leadscore.category_columns(col, vocabulary_column, from_alias='r', not_answered=[])
  A categorical answer encoded through a declared vocabulary (a seed the caller left-joins on
  the answer's code, leadscore.code_value = trimmed, lower-cased; `vocabulary_column` is the
  joined seed's category column). Like enum_columns, but an answer outside the vocabulary is
  kept as category 'other' instead of NULL (the row still says something), and reported:
    <col>            the category; 'other' for an undeclared answer; NULL when not answered
                     (empty, or one of `not_answered`, e.g. ['select'] for a form's placeholder);
    <col>__unknown   why the answer became 'other' (data_quality_issues action
                     value_mapped_to_other), NULL otherwise;
    <col>__raw       the text as read.
-#}
{% macro category_columns(col, vocabulary_column, from_alias='r', not_answered=[]) -%}
  {%- set code = leadscore.code_value(from_alias ~ '.' ~ col) -%}
  {%- set answered -%}
    {{ code }} is not null
    {%- for value in not_answered %} and {{ code }} <> '{{ value | lower | replace("'", "''") }}'{% endfor %}
  {%- endset -%}
  case when {{ answered }} then coalesce({{ vocabulary_column }}, 'other') end as {{ col }},
  case when {{ answered }} and {{ vocabulary_column }} is null
       then 'not in the declared vocabulary: encoded as other' end as {{ col }}__unknown,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}
