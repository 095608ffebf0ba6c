-- The priority tiers on engagement_score, one row per tier: a score belongs to the tier with
-- min_score <= score < max_score (max_score NULL for the top tier).
select
    cast(tier_order as integer) as tier_order,
    cast(label as {{ dbt.type_string() }}) as label,
    cast(min_score as {{ leadscore.type_double() }}) as min_score,
    cast(max_score as {{ leadscore.type_double() }}) as max_score
from {{ leadscore.artifact_table('tiers') }}
