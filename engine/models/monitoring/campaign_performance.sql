-- One row per campaign: the selected list (every contact not in the random arm) against the
-- model card's gates, its expected precision from the scores at contact time, and the lift
-- over the campaign's random arm (or the training base rate when it has none).
{%- set margin = leadscore.checked_var('monitoring_decision_margin') %}
with card as (
    select * from {{ ref('model_card') }}
),
per_campaign as (
    select
        campaign_id,
        count(*) as contacted,
        min(contacted_at) as first_contacted_at,
        max(contacted_at) as last_contacted_at,
        cast(sum(case when arm <> 'random' then 1 else 0 end) as bigint) as list_contacted,
        cast(sum(case when arm <> 'random' and label = 1 then 1 else 0 end) as bigint) as responded,
        cast(sum(case when arm <> 'random' and label is null then 1 else 0 end) as bigint) as pending,
        cast(sum(case when arm <> 'random' and label is not null then 1 else 0 end) as bigint) as known_outcomes,
        cast(sum(case when arm <> 'random' and label is not null and score_at_contact is not null then 1 else 0 end) as bigint) as scored_outcomes,
        cast(sum(case when arm <> 'random' and label = 1 and score_at_contact is not null then 1 else 0 end) as bigint) as scored_responded,
        sum(case when arm <> 'random' and label is not null then score_at_contact end) as expected_responses,
        cast(sum(case when arm = 'random' then 1 else 0 end) as bigint) as random_contacted,
        cast(sum(case when arm = 'random' and label is not null then 1 else 0 end) as bigint) as random_known_outcomes,
        cast(sum(case when arm = 'random' and label = 1 then 1 else 0 end) as bigint) as random_responded
    from {{ ref('monitoring_contacts') }}
    group by campaign_id
),
rates as (
    select p.*,
        case when known_outcomes > 0 then cast(responded as {{ type_double() }}) / known_outcomes end as actual_precision,
        case when scored_outcomes > 0 then expected_responses / scored_outcomes end as expected_precision,
        case when scored_outcomes > 0 then cast(scored_responded as {{ type_double() }}) / scored_outcomes end as scored_actual_precision,
        case when random_known_outcomes > 0 then cast(random_responded as {{ type_double() }}) / random_known_outcomes end as random_rate,
        card.base_rate, card.gate_proceed, card.gate_recalibrate
    from per_campaign p
    cross join card
),
intervals as (
    select r.*,
        {{ wilson_low('responded', 'known_outcomes') }} as ci_low,
        {{ wilson_high('responded', 'known_outcomes') }} as ci_high,
        case when random_rate is not null then random_rate else base_rate end as baseline_rate,
        case when random_rate is not null then 'random_arm' else 'training_base_rate' end as baseline_source
    from rates r
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
    cast({{ margin }} as {{ type_double() }}) as decision_margin,
    -- The gates judge the model's choices: a campaign none of whose outcomes had a model score
    -- at contact time (e.g. contacted before the first scoring run) is not judged.
    case when known_outcomes > 0 and scored_outcomes = 0 then 'no model score at contact'
         else {{ gate_decision('actual_precision', 'ci_low', 'ci_high', 'gate_proceed', 'gate_recalibrate',
                               'cast(' ~ margin ~ ' as ' ~ type_double() ~ ')') }}
    end as decision
from intervals
