-- Behavioural aggregates for every row of the spine, from activities STRICTLY BEFORE its
-- feature_as_of (the point-in-time cut: nothing that happened at or after a contact can
-- leak into that contact's training row).
{%- set type_counts = activity_count_features() %}
select
    s.purpose,
    s.lead_id,
    s.contact_id,
    s.feature_as_of,
    {%- for activity_type, feature in type_counts %}
    sum(case when a.activity_type = '{{ activity_type }}' then 1 else 0 end) as {{ feature }},
    {%- endfor %}
    sum(case when a.occurred_at >= {{ dbt.dateadd('day', -30, 's.feature_as_of') }} then 1 else 0 end)
        as activities_30d,
    sum(case when a.occurred_at >= {{ dbt.dateadd('day', -90, 's.feature_as_of') }} then 1 else 0 end)
        as activities_90d,
    max(a.occurred_at) as last_activity_at,
    count(distinct a.activity_type) as distinct_activity_types
from {{ ref('int_feature_spine') }} as s
left join {{ ref('stg_activities') }} as a
    on s.lead_id = a.lead_id
    and s.feature_as_of > a.occurred_at
group by s.purpose, s.lead_id, s.contact_id, s.feature_as_of
