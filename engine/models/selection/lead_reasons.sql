{#-
  Reason codes for the leads on an outreach list - only for them: whole-population scoring does
  not pay for explanations nobody reads. The leads of outreach_top_k, outreach_by_threshold and
  the rollout phase 1 / phase 3 lists get XGBoost's approximate (Saabas) feature contributions,
  computed in SQL from the artifact's trees (macro xgboost_contributions_sql: equal to
  pred_contribs with approx_contribs=True; ensemble: the members' mean), on every adapter.
  reason_up_1..3 = the three features raising the score most, reason_down_1..3 the three
  lowering it most (ties: booster feature order), as "<label> (<value>)"; NULL when fewer
  features raise / lower it. The listed reasons' contributions + contribution_other +
  contribution_bias = raw_margin.
-#}
with listed as (
    select lead_id from {{ ref('outreach_top_k') }}
    union
    select lead_id from {{ ref('outreach_by_threshold') }}
    union
    select lead_id from {{ ref('rollout_phase1_validation') }}
    union
    select lead_id from {{ ref('rollout_phase3_production') }}
),

listed_features as (
    select * from {{ ref('lead_features') }}
    where lead_id in (select l.lead_id from listed as l)
),

contributions as (
    {{ leadscore.xgboost_contributions_sql(
        'listed_features', ref('model_tree_nodes'), ref('model_tree_paths'), ['lead_id']) }}
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
