{#-
  Rollout phase 2: one row judging phase 1's real outcomes against the model.

  Phase-1 contacts = outreach rows with campaign_id = var phase1_campaign_id
  (default "phase1-validation"), except the campaign's random arm (experiment_group 'random':
  the control, not the model's choice; campaign_ab_test compares the two).
  known = responded + not responded (pending excluded).
  observed_precision = responded / known with a 95% Wilson interval.
  predicted_precision = mean score the leads had when they were contacted (score_at_contact of
  monitoring_contacts: features from before the contact, a model not trained on it), over the
  known-outcome contacts that have one (scored_outcomes); NULL when none has.
  gate (macro gate_decision, the same rule campaign_performance uses; gates from model_card):
  fewer than var min_outcomes (default 30) known outcomes -> 'too few outcomes';
  observed >= gate_proceed -> 'proceed'; >= gate_recalibrate -> 'recalibrate'; else 'stop'.
  gate_certainty: 'clear' when the observed precision's 95% interval lies inside that band.
  Recommendation rule (proceed / recalibrate only): calibration_factor = observed / predicted
  precision; each eligible lead's expected response probability becomes
  min(1, factor * engagement_score); recommended_k = the largest K whose top-K (score_rank order)
  mean recalibrated probability still reaches the card's target precision, recommended_threshold
  = the engagement_score of that K-th lead (so "engagement_score >= threshold" selects it).
  NULL when no K reaches the target, the gate is 'stop' or there are too few outcomes.
  ROI option beside it (same recalibrated probabilities, vars cost_per_contact /
  value_per_response): roi_recommended_k = the profit-maximising K (macro profit_optimum),
  roi_k_low..roi_k_high = the K whose expected profit is within the 95% noise of the best,
  roi_recommended_threshold = the engagement_score of that K-th lead, with its expected
  responses, profit and return on cost. NULL when the precision recommendation is, or (with
  economics_status 'set cost and value') while either var is unset.
-#}
{%- set min_outcomes = leadscore.checked_var('min_outcomes') %}
{%- set cost, value = economics_vars() %}

with am as (
    select * from {{ ref('model_card') }}
),

outcomes as (
    -- the phase-1 campaign's list (not its random arm: the control, compared in campaign_ab_test),
    -- counted in outreach_outcomes; the scores at contact time come from monitoring_contacts'
    -- one rule (features from before the contact, a model not trained on it) - never today's
    select
        coalesce(sum(contacted), 0) as contacted,
        coalesce(sum(responded), 0) as responded,
        coalesce(sum(known_outcomes) - sum(responded), 0) as not_responded,
        coalesce(sum(pending), 0) as pending,
        coalesce(sum(scored_outcomes), 0) as scored_outcomes,
        sum(expected_responses) / nullif(sum(scored_outcomes), 0) as predicted_precision
    from {{ ref('outreach_outcomes') }}
    where campaign_id = {{ leadscore.checked_var('phase1_campaign_id') }}
      and arm_group = 'list'
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
        *,
        {{ gate_decision('v.observed_precision', 'v.known', 'v.min_outcomes',
                         'v.gate_proceed', 'v.gate_recalibrate') }} as gate
    from verdict as v
),

factor as (
    select
        *,
        {{ gate_certainty('g.gate', 'g.observed_ci_low', 'g.observed_ci_high',
                          'g.gate_proceed', 'g.gate_recalibrate') }} as gate_certainty,
        case when gate in ('proceed', 'recalibrate') and predicted_precision > 0
             then observed_precision / predicted_precision end as calibration_factor
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

recalibrated as (
    select e.score_rank, e.lead_id, e.engagement_score,
        least(1.0, f.calibration_factor * e.engagement_score) as recalibrated_probability
    from {{ ref('outreach_eligible_leads') }} as e
    cross join factor as f
    where f.calibration_factor is not null
),

roi_curve as (
    {{ profit_curve('recalibrated', 'engagement_score', 'recalibrated_probability',
                    'score_rank, lead_id', cost, value) }}
),

roi_best as (
    {{ profit_optimum('roi_curve', value) }}
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
    f.gate_certainty,
    f.calibration_factor,
    f.target_precision,
    f.card_threshold,
    best.recommended_k,
    c.engagement_score as recommended_threshold,
    c.recalibrated_precision as recommended_expected_precision,
    roi_best.best_k as roi_recommended_k,
    roi_best.best_k_low as roi_k_low,
    roi_best.best_k_high as roi_k_high,
    roi_list.score as roi_recommended_threshold,
    roi_list.expected_responses as roi_expected_responses,
    roi_list.expected_profit as roi_expected_profit,
    roi_list.roi as roi_return_on_cost,
    {{ economics_status(cost, value) }} as economics_status
from factor as f
cross join best
left join curve as c
    on best.recommended_k = c.k
left join roi_best on 1 = 1
left join roi_curve as roi_list
    on roi_best.best_k = roi_list.k
