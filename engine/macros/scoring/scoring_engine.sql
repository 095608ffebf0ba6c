{#- scoring_in_python(): whether lead_scores takes its margins from the Python model
    lead_margins (XGBoost in-process: DuckDB only, and not when var scoring_engine = 'sql').
    The same rule enables lead_margins and lead_contributions (_scoring.yml) and, reversed,
    the tree tables the SQL scorer reads (_model.yml). -#}
{% macro scoring_in_python() -%}
  {{ return(target.type == 'duckdb' and var('scoring_engine') != 'sql') }}
{%- endmacro %}

{#- sql_margins(features): lead_id, feature_as_of and raw_margin of every row of the feature
    relation, computed in SQL from the artifact's trees (models model_tree_nodes /
    model_tree_members), bit-identical to XGBoost per booster. -#}
{% macro sql_margins(features) -%}
  {{ return(leadscore.xgboost_margin_sql(features, ref('model_tree_nodes'), ref('model_tree_members'),
                                         ['lead_id', 'feature_as_of'])) }}
{%- endmacro %}

{#- The reason-code columns of lead_reasons (and of the lists that show them), in order. -#}
{% macro reason_columns() -%}
  {{ return(['reason_up_1', 'reason_up_2', 'reason_up_3', 'reason_down_1', 'reason_down_2', 'reason_down_3']) }}
{%- endmacro %}

{#- A feature value as reason text: whole numbers without decimals, other values rounded to 2
    decimals, NULL as 'missing'. Decimal formatting reads the same on every engine. -#}
{% macro reason_value_text(value) -%}
  case when {{ value }} is null then 'missing'
       when {{ value }} = round({{ value }}) and abs({{ value }}) < 1e15
           then cast(cast({{ value }} as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
       else cast(cast(round({{ value }}, 2) as decimal(38, 2)) as {{ dbt.type_string() }})
  end
{%- endmacro %}
