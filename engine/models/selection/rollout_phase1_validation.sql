{#-
  Rollout phase 1: the top var phase1_k (default 50) eligible leads, to be contacted in campaign
  var phase1_campaign_id (default "phase1-validation") to measure the model's real precision.
-#}
{%- set k = leadscore.checked_var('phase1_k') %}

with selected as (
    select *, {{ k }} as k_requested, {{ leadscore.checked_var('phase1_campaign_id') }} as campaign_id
    from {{ ref('outreach_eligible_leads') }}
    order by score_rank
    limit {{ k }}
),

{{ scoring_list_summary('selected') }}
