{#-
  Reason codes for the leads on an outreach list (listed_leads) - only for them. Their
  XGBoost approximate (Saabas) feature contributions (pred_contribs with approx_contribs=True;
  ensemble: the members' mean) come from XGBoost itself on DuckDB (lead_contributions, the same
  switch as lead_margins: macro scoring_in_python) and from SQL compiled from the artifact's
  trees elsewhere (macro xgboost_contributions_sql).
  reason_up_1..3 = the three features raising the score most, reason_down_1..3 the three
  lowering it most (ties: booster feature order), as "<label> (<value>)"; NULL when fewer
  features raise / lower it. The listed reasons' contributions + contribution_other +
  contribution_bias = raw_margin.
-#}
with contributions as (
    {%- if leadscore.scoring_in_python() %}
    select lead_id, cast(feature as {{ dbt.type_string() }}) as feature, feature_index, contribution, feature_value
    from {{ ref('lead_contributions') }}
    {%- else %}
    {%- set listed_features -%}
    (select * from {{ ref('lead_features') }}
     where lead_id in (select l.lead_id from {{ ref('listed_leads') }} as l)) as listed_features
    {%- endset %}
    {{ leadscore.xgboost_contributions_sql(
        listed_features, ref('model_tree_nodes'), ref('model_tree_paths'), ['lead_id']) }}
    {%- endif %}
),

reasons as (
    {{ leadscore.xgboost_reason_codes_sql('contributions', ['lead_id']) }}
),

labels as (
    select feature, label from {{ ref('model_features') }}
)

select
    r.lead_id,
    {%- for column in leadscore.reason_columns() %}
    case when r.{{ column }}_feature is not null
         then {{ column }}_label.label || ' (' || {{ leadscore.reason_value_text('r.' ~ column ~ '_value') }} || ')'
    end as {{ column }},
    {%- endfor %}
    {%- for column in leadscore.reason_columns() %}
    r.{{ column }}_feature,
    r.{{ column }}_contribution,
    {%- endfor %}
    r.contribution_other,
    r.contribution_bias
from reasons as r
{%- for column in leadscore.reason_columns() %}
left join labels as {{ column }}_label on {{ column }}_label.feature = r.{{ column }}_feature
{%- endfor %}
