{#- The feature names, in order: every column of xed_lead_feature_values but lead_id. -#}
{% macro xed_feature_columns() -%}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set names = [] -%}
  {%- for col in adapter.get_columns_in_relation(ref('xed_lead_feature_values')) -%}
    {%- if col.name | lower != 'lead_id' -%}{%- do names.append(col.name) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(names) }}
{%- endmacro %}
