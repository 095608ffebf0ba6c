-- One row per campaign: the selected list (every contact not in the random arm) judged by the
-- rollout gate (macro gate_decision, the same rule as phase 2), its expected precision from the
-- scores at contact time, and the lift over the campaign's random arm (or the training base
-- rate when it has none).
{%- set min_outcomes = leadscore.checked_var('min_outcomes') %}
with card as (
    select base_rate, gate_proceed, gate_recalibrate from {{ ref('model_card') }}
),

per_campaign as (
    select
        campaign_id,
        cast(sum(contacted) as bigint) as contacted,
        min(first_contacted_at) as first_contacted_at,
        max(last_contacted_at) as last_contacted_at,
        cast(sum(case when arm_group = 'list' then contacted else 0 end) as bigint) as list_contacted,
        cast(sum(case when arm_group = 'list' then responded else 0 end) as bigint) as responded,
        cast(sum(case when arm_group = 'list' then pending else 0 end) as bigint) as pending,
        cast(sum(case when arm_group = 'list' then known_outcomes else 0 end) as bigint) as known_outcomes,
        cast(sum(case when arm_group = 'list' then scored_outcomes else 0 end) as bigint) as scored_outcomes,
        cast(sum(case when arm_group = 'list' then scored_responded else 0 end) as bigint) as scored_responded,
        sum(case when arm_group = 'list' then expected_responses end) as expected_responses,
        cast(sum(case when arm_group = 'random' then contacted else 0 end) as bigint) as random_contacted,
        cast(sum(case when arm_group = 'random' then known_outcomes else 0 end) as bigint) as random_known_outcomes,
        cast(sum(case when arm_group = 'random' then responded else 0 end) as bigint) as random_responded
    from {{ ref('outreach_outcomes') }}
    group by campaign_id
),

rates as (
    select p.*,
        case when p.known_outcomes > 0
             then cast(p.responded as {{ type_double() }}) / p.known_outcomes end as actual_precision,
        case when p.scored_outcomes > 0 then p.expected_responses / p.scored_outcomes end as expected_precision,
        case when p.scored_outcomes > 0
             then cast(p.scored_responded as {{ type_double() }}) / p.scored_outcomes end as scored_actual_precision,
        case when p.random_known_outcomes > 0
             then cast(p.random_responded as {{ type_double() }}) / p.random_known_outcomes end as random_rate,
        {{ wilson_low('p.responded', 'p.known_outcomes') }} as ci_low,
        {{ wilson_high('p.responded', 'p.known_outcomes') }} as ci_high,
        card.base_rate, card.gate_proceed, card.gate_recalibrate
    from per_campaign as p
    cross join card
),

decided as (
    select *,
        -- The gate judges the model's choices: a campaign none of whose outcomes had a model score
        -- at contact time (e.g. contacted before the first scoring run) is not judged.
        case when known_outcomes > 0 and scored_outcomes = 0 then 'no model score at contact'
             else {{ gate_decision('actual_precision', 'known_outcomes', min_outcomes,
                                   'gate_proceed', 'gate_recalibrate') }}
        end as decision,
        coalesce(random_rate, base_rate) as baseline_rate,
        case when random_rate is not null then 'random_arm' else 'training_base_rate' end as baseline_source
    from rates
)

select
    campaign_id, first_contacted_at, last_contacted_at,
    contacted, list_contacted, responded, pending, known_outcomes,
    actual_precision, ci_low, ci_high,
    scored_outcomes, expected_responses, expected_precision,
    scored_actual_precision - expected_precision as actual_minus_expected,
    random_contacted, random_known_outcomes, random_responded, random_rate,
    {{ wilson_low('random_responded', 'random_known_outcomes') }} as random_ci_low,
    {{ wilson_high('random_responded', 'random_known_outcomes') }} as random_ci_high,
    baseline_rate, baseline_source,
    {{ lift('actual_precision', 'baseline_rate') }} as lift_vs_baseline,
    gate_proceed, gate_recalibrate,
    {{ min_outcomes }} as min_outcomes,
    decision,
    {{ gate_certainty('decision', 'ci_low', 'ci_high', 'gate_proceed', 'gate_recalibrate') }} as decision_certainty
from decided
