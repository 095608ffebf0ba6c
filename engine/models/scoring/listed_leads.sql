{#-
  The leads on an outreach list - outreach_top_k, outreach_by_threshold and the rollout phase 1 /
  phase 3 lists: the leads lead_reasons explains (whole-population scoring does not pay for
  explanations nobody reads).
-#}
select lead_id from {{ ref('outreach_top_k') }}
union
select lead_id from {{ ref('outreach_by_threshold') }}
union
select lead_id from {{ ref('rollout_phase1_validation') }}
union
select lead_id from {{ ref('rollout_phase3_production') }}
