{#-
  Rollout phase 3: eligible leads at or above the production threshold, best first, with their
  priority tier. Threshold: phase 2's recommended_threshold when its gate is proceed or
  recalibrate (no rows when no K reaches the target); the model card's threshold while phase 2
  has too few outcomes; no rows when phase 2 says stop.
-#}

with cut as (
    select
        case
            when gate in ('proceed', 'recalibrate') then recommended_threshold
            when gate = 'too few outcomes' then card_threshold
        end as threshold_used,
        case
            when gate in ('proceed', 'recalibrate') then 'phase2_recommended'
            when gate = 'too few outcomes' then 'model_card'
            else 'stopped'
        end as threshold_source,
        gate as phase2_gate
    from {{ ref('rollout_phase2_calibration') }}
),

selected as (
    select e.*, cut.threshold_used, cut.threshold_source, cut.phase2_gate
    from {{ ref('outreach_eligible_leads') }} as e
    cross join cut
    where e.engagement_score >= cut.threshold_used
),

{{ scoring_list_summary('selected') }}
