-- Deterministic A/B assignment of the eligible leads (outreach_eligible_leads) to the model
-- list or the random arm: u = first 8 hex digits of md5(ab_seed || ':' || lead_id) / 16^8,
-- u < ab_model_share -> 'model', else 'random'. Same seed + lead -> same arm on every build
-- and every warehouse; about ab_model_share of the leads (default 70%) land in 'model'.
{%- set share = leadscore.checked_var('ab_model_share') %}
{%- set seed = leadscore.checked_var('ab_seed') %}
with eligible as (
    select lead_id, engagement_score from {{ ref('outreach_eligible_leads') }}
),

hashed as (
    select lead_id, engagement_score,
        {{ hash_to_unit_interval(dbt.concat([seed, "':'", 'lead_id'])) }} as assignment_value
    from eligible
)

select
    lead_id,
    engagement_score,
    assignment_value,
    case when assignment_value < {{ share }} then 'model' else 'random' end as experiment_group,
    {{ seed }} as ab_seed,
    cast({{ share }} as {{ type_double() }}) as ab_model_share
from hashed
