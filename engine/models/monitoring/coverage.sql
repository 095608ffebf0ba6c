-- Share of the eligible leads (outreach_eligible_leads) at or above the threshold the threshold
-- list uses (var threshold, else the card's: macro threshold_in_use), against the target band
-- (vars coverage_target_min / coverage_target_max, default 10%-20%).
{%- set lo = leadscore.checked_var('coverage_target_min') %}
{%- set hi = leadscore.checked_var('coverage_target_max') %}
with card as (
    select model_version from {{ ref('model_card') }}
),

cut as (
    {{ threshold_in_use() }}
),

counts as (
    select
        count(e.lead_id) as eligible_leads,
        cast(sum(case when e.engagement_score >= cut.threshold_used then 1 else 0 end) as bigint)
            as leads_above_threshold,
        sum(case when e.engagement_score >= cut.threshold_used then e.engagement_score else 0 end)
            as expected_responses
    from cut
    left join {{ ref('outreach_eligible_leads') }} as e on 1 = 1
)

select
    card.model_version,
    cut.threshold_used,
    cut.threshold_source,
    counts.eligible_leads,
    coalesce(counts.leads_above_threshold, 0) as leads_above_threshold,
    case when counts.eligible_leads > 0
         then cast(coalesce(counts.leads_above_threshold, 0) as {{ type_double() }}) / counts.eligible_leads
    end as coverage_share,
    coalesce(counts.expected_responses, 0) as expected_responses,
    cast({{ lo }} as {{ type_double() }}) as target_min_share,
    cast({{ hi }} as {{ type_double() }}) as target_max_share,
    case
        when counts.eligible_leads = 0 then 'no eligible leads'
        when cut.threshold_used is null then 'no threshold'
        when cast(coalesce(counts.leads_above_threshold, 0) as {{ type_double() }}) / counts.eligible_leads < {{ lo }}
            then 'below target'
        when cast(coalesce(counts.leads_above_threshold, 0) as {{ type_double() }}) / counts.eligible_leads > {{ hi }}
            then 'above target'
        else 'within target'
    end as coverage_status
from card
cross join cut
cross join counts
