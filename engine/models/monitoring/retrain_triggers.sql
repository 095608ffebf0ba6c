-- One row per retraining rule with its status ('triggered', 'ok', 'not evaluable'), the
-- observed value, the limit it is compared with and a plain-words evidence text.
{%- set max_age = leadscore.checked_var('retrain_max_model_age_days') %}
{%- set min_new = leadscore.checked_var('retrain_min_new_outcomes') %}
{%- set str = dbt.type_string() %}
with card as (
    select * from {{ ref('model_card') }}
),
age as (
    select {{ dbt.datediff('card.created_at', dbt.current_timestamp(), 'day') }} as model_age_days
    from card
),
decided as (
    select campaign_id, last_contacted_at, actual_precision, ci_low, ci_high, known_outcomes, decision,
        row_number() over (order by last_contacted_at desc, campaign_id desc) as recency
    from {{ ref('campaign_performance') }}
    where decision in ('proceed', 'recalibrate', 'stop')
),
latest as (
    select * from decided where recency = 1
),
drift as (
    select psi, psi_noise_critical, drift_status from {{ ref('score_drift') }}
),
new_outcomes as (
    select count(*) as outcomes
    from {{ ref('monitoring_contacts') }}
    where label is not null and is_after_training
),
training_sources as (
    select distinct l.lead_source
    from {{ ref('lead_training_set') }} t
    join {{ ref('leads') }} l on l.lead_id = t.lead_id
),
unseen as (
    select l.lead_source, count(*) as leads
    from {{ ref('outreach_eligible_leads') }} e
    join {{ ref('leads') }} l on l.lead_id = e.lead_id
    where l.lead_source is not null
      and l.lead_source not in (select lead_source from training_sources where lead_source is not null)
    group by l.lead_source
),
unseen_summary as (
    select count(*) as sources, cast(coalesce(sum(leads), 0) as bigint) as leads,
        {{ ordered_listagg('lead_source', "', '", 'order by lead_source') }} as source_list
    from unseen
),
rules as (
    select 1 as rule_order, 'model_age' as rule,
        case when age.model_age_days > {{ max_age }} then 'triggered' else 'ok' end as status,
        cast(age.model_age_days as {{ type_double() }}) as observed_value,
        cast({{ max_age }} as {{ type_double() }}) as limit_value,
        'model ' || card.model_version || ' trained ' || cast(card.created_at as {{ str }})
            || ', ' || cast(age.model_age_days as {{ str }}) || ' days ago (limit {{ max_age }} days)' as evidence
    from card cross join age

    union all
    select 2, 'recent_precision',
        case when latest.campaign_id is null then 'not evaluable'
             when latest.actual_precision < card.gate_recalibrate then 'triggered' else 'ok' end,
        latest.actual_precision,
        card.gate_recalibrate,
        case when latest.campaign_id is null
             then 'no campaign has enough outcomes to decide yet'
             else 'latest decided campaign ' || latest.campaign_id || ': precision '
                  || cast(cast(latest.actual_precision as decimal(18, 3)) as {{ str }}) || ' (95% CI '
                  || cast(cast(latest.ci_low as decimal(18, 3)) as {{ str }}) || '-' || cast(cast(latest.ci_high as decimal(18, 3)) as {{ str }})
                  || ') on ' || cast(latest.known_outcomes as {{ str }}) || ' outcomes, decision ' || latest.decision end
    from card left join latest on 1 = 1

    union all
    select 3, 'score_drift',
        case when drift.psi is null then 'not evaluable'
             when drift.drift_status = 'major drift' then 'triggered' else 'ok' end,
        drift.psi,
        cast(0.25 as {{ type_double() }}),
        case when drift.psi is null then 'no scores to compare'
             else 'engagement_score PSI ' || cast(cast(drift.psi as decimal(18, 4)) as {{ str }})
                  || ' (noise level ' || cast(cast(drift.psi_noise_critical as decimal(18, 4)) as {{ str }}) || '): ' || drift.drift_status end
    from card left join drift on 1 = 1

    union all
    select 4, 'new_outcomes',
        case when new_outcomes.outcomes >= {{ min_new }} then 'triggered' else 'ok' end,
        cast(new_outcomes.outcomes as {{ type_double() }}),
        cast({{ min_new }} as {{ type_double() }}),
        cast(new_outcomes.outcomes as {{ str }}) || ' known outcomes contacted after '
            || cast(card.trained_through as {{ str }}) || ' (limit {{ min_new }})'
    from card cross join new_outcomes

    union all
    select 5, 'unseen_lead_sources',
        case when unseen_summary.sources > 0 then 'triggered' else 'ok' end,
        cast(unseen_summary.leads as {{ type_double() }}),
        cast(0 as {{ type_double() }}),
        case when unseen_summary.sources > 0
             then cast(unseen_summary.leads as {{ str }}) || ' eligible leads from sources never seen in training: ' || unseen_summary.source_list
             else 'every eligible lead comes from a lead_source present in training' end
    from unseen_summary

    -- The learning curve (model_learning_curve) measured at training time whether more labels
    -- still improved the model; when they did, new outcomes worth a quarter of the training
    -- set (the curve's step from 75% to 100%) are reason enough to retrain.
    union all
    select 6, 'labels_still_improving',
        case when card.learning_curve_reading is null then 'not evaluable'
             when card.learning_curve_reading like 'more labels%'
                  and new_outcomes.outcomes >= 0.25 * card.training_rows then 'triggered' else 'ok' end,
        cast(new_outcomes.outcomes as {{ type_double() }}) / card.training_rows,
        cast(0.25 as {{ type_double() }}),
        'learning curve at training: ' || coalesce(card.learning_curve_reading, 'not recorded')
            || '; ' || cast(new_outcomes.outcomes as {{ str }}) || ' new known outcomes vs '
            || cast(card.training_rows as {{ str }}) || ' training rows'
    from card cross join new_outcomes
)
select
    rules.rule_order, rules.rule, rules.status, rules.observed_value, rules.limit_value, rules.evidence,
    card.model_version,
    {{ dbt.current_timestamp() }} as evaluated_at
from rules
cross join card
