{#-
  Rollout phase 2: one row judging phase 1's real outcomes against the model.

  Phase-1 contacts = stg_outreach rows with campaign_id = var phase1_campaign_id
  (default "phase1-validation"), except the campaign's random arm (experiment_group 'random':
  the control, not the model's choice; campaign_ab_test compares the two). known = responded + not responded (pending excluded).
  observed_precision = responded / known with a 95% Wilson interval.
  predicted_precision = mean score the leads had when they were contacted (score_at_contact of
  monitoring_contacts: features from before the contact, a model not trained on it), over the
  known-outcome contacts that have one (scored_outcomes); NULL when none has.
  gate (thresholds from the model card via model_card): fewer than var min_outcomes (default 30)
  known outcomes -> 'too few outcomes yet'; observed >= gate_proceed -> 'proceed';
  >= gate_recalibrate -> 'recalibrate'; else 'stop'.
  Recommendation rule (proceed / recalibrate only): calibration_factor = observed / predicted
  precision; each eligible lead's expected response probability becomes
  min(1, factor * engagement_score); recommended_k = the largest K whose top-K (score_rank order)
  mean recalibrated probability still reaches the card's target precision, recommended_threshold
  = the engagement_score of that K-th lead (so "engagement_score >= threshold" selects it).
  NULL when no K reaches the target, the gate is 'stop' or there are too few outcomes.
-#}
{%- set min_outcomes = leadscore.checked_var('min_outcomes') %}

with am as (
    select * from {{ ref('model_card') }}
),

contacts as (
    -- monitoring_contacts holds the one rule for "the score a lead had when contacted"
    -- (features from before the contact, a model not trained on it); no current-score
    -- fallback: today's score has seen the response.
    select contact_id, responded, score_at_contact
    from {{ ref('monitoring_contacts') }}
    where campaign_id = {{ leadscore.checked_var('phase1_campaign_id') }}
      and arm <> 'random'
),

outcomes as (
    select
        count(*) as contacted,
        coalesce(sum(case when responded then 1 else 0 end), 0) as responded,
        coalesce(sum(case when not responded then 1 else 0 end), 0) as not_responded,
        coalesce(sum(case when responded is null then 1 else 0 end), 0) as pending,
        coalesce(sum(case when responded is not null and score_at_contact is not null then 1 else 0 end), 0)
            as scored_outcomes,
        avg(case when responded is not null then score_at_contact end) as predicted_precision
    from contacts
),

verdict as (
    select
        o.*,
        o.responded + o.not_responded as known,
        o.responded * 1.0 / nullif(o.responded + o.not_responded, 0) as observed_precision,
        {{ wilson_low('o.responded', 'o.responded + o.not_responded') }} as observed_ci_low,
        {{ wilson_high('o.responded', 'o.responded + o.not_responded') }} as observed_ci_high,
        {{ min_outcomes }} as min_outcomes,
        am.model_version,
        am.target_precision,
        am.gate_proceed,
        am.gate_recalibrate,
        am.threshold_score as card_threshold
    from outcomes as o
    cross join am
),

gated as (
    select
        v.*,
        case
            when v.known = 0 or v.known < v.min_outcomes then 'too few outcomes yet'
            when v.observed_precision >= v.gate_proceed then 'proceed'
            when v.observed_precision >= v.gate_recalibrate then 'recalibrate'
            else 'stop'
        end as gate
    from verdict as v
),

factor as (
    select
        g.*,
        case when g.gate in ('proceed', 'recalibrate') and g.predicted_precision > 0
             then g.observed_precision / g.predicted_precision end as calibration_factor
    from gated as g
),

curve as (
    select
        row_number() over (order by e.score_rank) as k,
        e.engagement_score,
        avg(least(1.0, f.calibration_factor * e.engagement_score))
            over (order by e.score_rank rows between unbounded preceding and current row)
            as recalibrated_precision
    from {{ ref('outreach_eligible_leads') }} as e
    cross join factor as f
    where f.calibration_factor is not null
),

best as (
    select max(c.k) as recommended_k
    from curve as c
    cross join am
    where c.recalibrated_precision >= am.target_precision
)

select
    f.model_version,
    {{ leadscore.checked_var('phase1_campaign_id') }} as campaign_id,
    f.contacted,
    f.responded,
    f.not_responded,
    f.pending,
    f.known,
    f.min_outcomes,
    f.observed_precision,
    f.observed_ci_low,
    f.observed_ci_high,
    f.scored_outcomes,
    f.predicted_precision,
    f.gate_proceed,
    f.gate_recalibrate,
    f.gate,
    f.calibration_factor,
    f.target_precision,
    f.card_threshold,
    best.recommended_k,
    c.engagement_score as recommended_threshold,
    c.recalibrated_precision as recommended_expected_precision
from factor as f
cross join best
left join curve as c
    on c.k = best.recommended_k
