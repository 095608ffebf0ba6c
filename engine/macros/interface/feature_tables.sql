{#-
  The two feature tables of the interface. Their key columns are fixed; every other column is
  a model feature (numeric), and both tables carry the same features in the same order
  (training and scoring must not drift apart).
-#}
{% macro feature_table_keys(name) -%}
  {{ return({'lead_features': ['lead_id', 'feature_as_of'],
             'lead_training_set': ['contact_id', 'lead_id', 'feature_as_of', 'responded']}[name]) }}
{%- endmacro %}

{#- The features of input_<name> after checking keys, types and (for the training set) that
    the features equal input_lead_features'. Stops the build naming what is wrong. -#}
{% macro checked_features(name) -%}
  {%- set keys = leadscore.feature_table_keys(name) -%}
  {%- set relation = leadscore.checked_input(name, keys) -%}
  {#- ref'd at parse time too, so dbt knows the training set is checked against it -#}
  {%- set scoring_relation = leadscore.input_ref('lead_features') -%}
  {%- if not execute or not leadscore.input_is_built(name) -%}{{ return([]) }}{%- endif -%}
  {%- set columns = adapter.get_columns_in_relation(relation) | rejectattr('name', 'in', keys) | list -%}
  {%- set not_numeric = [] -%}
  {%- for col in columns if not col.is_number() -%}{%- do not_numeric.append(col.name) -%}{%- endfor -%}
  {%- if not columns or not_numeric -%}
    {{ exceptions.raise_compiler_error(
        "The input project's model input_" ~ name ~ " must hold numeric feature columns besides "
        ~ keys | join(', ') ~ (": not numeric: " ~ not_numeric | join(', ') if not_numeric else ": it has none")) }}
  {%- endif -%}
  {%- set features = columns | map(attribute='name') | list -%}
  {%- if name == 'lead_training_set' -%}
    {%- set scoring = leadscore.feature_columns(scoring_relation,
                                                leadscore.feature_table_keys('lead_features')) -%}
    {%- if (features | map('lower') | list) != (scoring | map('lower') | list) -%}
      {{ exceptions.raise_compiler_error(
          "input_lead_training_set and input_lead_features must carry the same features in the same "
          ~ "order; training has [" ~ features | join(', ') ~ "], scoring has [" ~ scoring | join(', ') ~ "]") }}
    {%- endif -%}
  {%- endif -%}
  {{ return(features) }}
{%- endmacro %}
