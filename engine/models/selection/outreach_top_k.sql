{#-
  The K best eligible leads (var k, default 100; all eligible leads when fewer). Ties are broken
  as in score_rank (engagement_score desc, lead_id asc), so exactly min(K, eligible) rows.
-#}
{%- set k = leadscore.checked_var('k') %}

with selected as (
    select *, {{ k }} as k_requested
    from {{ ref('outreach_eligible_leads') }}
    order by score_rank
    limit {{ k }}
),

{{ scoring_list_summary('selected') }}
