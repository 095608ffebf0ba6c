{#- Typed-column helpers of stg_xed_leads_checked: each emits the typed value plus the raw text
    and an issue column that data_quality_issues discovers by suffix. -#}

{#- Non-negative number: <name> DOUBLE, <name>__raw, <name>__issue (-> value_set_to_null). -#}
{% macro xed_number_columns(name) -%}
  {%- set txt = xed_answer('r.' ~ name) -%}
  case when {{ dbt.safe_cast(txt, 'double precision') }} >= 0
       then {{ dbt.safe_cast(txt, 'double precision') }} end as {{ name }},
  r.{{ name }} as {{ name }}__raw,
  case when {{ txt }} is null then null
       when {{ dbt.safe_cast(txt, 'double precision') }} is null then 'not a number'
       when {{ dbt.safe_cast(txt, 'double precision') }} < 0 then 'negative number' end as {{ name }}__issue
{%- endmacro %}

{#- Yes/No answer: <name> BOOLEAN, <name>__raw, <name>__issue. -#}
{% macro xed_flag_columns(name) -%}
  {{ xed_yes_no('r.' ~ name) }} as {{ name }},
  r.{{ name }} as {{ name }}__raw,
  case when {{ xed_answer('r.' ~ name) }} is not null and {{ xed_yes_no('r.' ~ name) }} is null
       then 'not Yes/No' end as {{ name }}__issue
{%- endmacro %}

{#- Categorical answer against xed_vocabulary (joined as alias `v_<name>`): <name> (cleaned
    text, NULL when missing or `Select`), <name>_category (declared category; 'other' when the
    answer is not declared; NULL when missing) and <name>__unknown (-> mapped_to_other). -#}
{% macro xed_category_columns(name) -%}
  {{ xed_answer('r.' ~ name) }} as {{ name }},
  case when {{ xed_answer('r.' ~ name) }} is null then null
       else coalesce(v_{{ name }}.category, 'other') end as {{ name }}_category,
  r.{{ name }} as {{ name }}__raw,
  case when {{ xed_answer('r.' ~ name) }} is not null and v_{{ name }}.category is null
       then 'not in vocabulary xed_vocabulary (' || '{{ name }}' || ')' end as {{ name }}__unknown
{%- endmacro %}

{% macro xed_category_join(name) -%}
  left join {{ ref('xed_vocabulary') }} as v_{{ name }}
    on v_{{ name }}.question = '{{ name }}' and v_{{ name }}.value = {{ xed_key('r.' ~ name) }}
{%- endmacro %}
