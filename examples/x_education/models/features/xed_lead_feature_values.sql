-- The X Education features for every row of the spine (purpose 'scoring': each lead as of var
-- as_of; 'training': each contact with a known outcome, at its contact time), written once.
-- The file is one snapshot, so a lead's values do not depend on the moment.
-- Only answers a lead gave before the sales team contacted them (web behaviour, form answers,
-- how the lead arrived); README.md lists every excluded column and why.
{%- set one_hot = [
    ('lead_origin', 'origin', ['landing_page', 'api', 'lead_add_form', 'lead_import'], false),
    ('lead_source', 'source', ['google', 'direct_traffic', 'chat', 'organic_search', 'reference',
                               'welingak_website', 'referral_sites', 'social'], false),
    ('occupation', 'occupation', ['unemployed', 'working_professional', 'student'], true),
    ('specialization', 'specialization', ['management', 'business', 'media_travel'], true),
    ('country', 'country', ['india', 'abroad'], true),
    ('city', 'city', ['mumbai_area', 'maharashtra', 'other_metro'], true),
    ('hear_about', 'heard', ['online_search', 'word_of_mouth'], true),
] %}
{%- set dbl = leadscore.type_double() %}
with spine as (
    {{ leadscore.feature_spine(ref('stg_leads'), ref('input_outreach')) }}
)

select
    s.purpose,
    s.lead_id,
    s.contact_id,
    s.feature_as_of,
    cast(l.total_visits as {{ dbl }}) as total_visits,
    cast(l.time_on_website / 60.0 as {{ dbl }}) as time_on_website_minutes,
    cast(l.page_views_per_visit as {{ dbl }}) as page_views_per_visit,
    cast(case when l.free_interview_copy then 1 when not l.free_interview_copy then 0 end as {{ dbl }})
        as free_interview_copy,
    cast(
        {%- for ad in ['ad_search', 'ad_newspaper_article', 'ad_forums', 'ad_newspaper', 'ad_digital',
                       'ad_recommendations'] %}
        case when l.{{ ad }} then 1 else 0 end{% if not loop.last %} +{% endif %}
        {%- endfor %}
    as {{ dbl }}) as ad_channels_seen
    {%- for column, prefix, categories, with_missing in one_hot %}
    {%- for category in categories %},
    cast(case when l.{{ column }} = '{{ category }}' then 1 else 0 end as {{ dbl }}) as {{ prefix }}_{{ category }}
    {%- endfor %}
    {%- if with_missing %},
    cast(case when l.{{ column }} is null then 1 else 0 end as {{ dbl }}) as {{ prefix }}_missing
    {%- endif %}
    {%- endfor %}
from spine as s
inner join {{ ref('stg_leads') }} as l on s.lead_id = l.lead_id
