{#-
  feature_columns()
  The model feature names, in order, as defined by int_lead_feature_values (every column
  but its keys). lead_features and lead_training_set select exactly these, so the
  feature list is written once: in that model's SQL (and documented in features.yml,
  whose enforced contracts check both tables against it).
-#}
{% macro feature_columns() -%}
  {%- set keys = ['purpose', 'lead_id', 'contact_id', 'feature_as_of'] -%}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set names = [] -%}
  {%- for col in adapter.get_columns_in_relation(ref('int_lead_feature_values')) -%}
    {%- if col.name | lower not in keys -%}{%- do names.append(col.name) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(names) }}
{%- endmacro %}
