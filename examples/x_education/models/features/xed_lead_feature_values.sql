-- The X Education features, one row per lead: the ONE place the feature list is written.
-- lead_features and lead_training_set select exactly these columns (macro xed_feature_columns),
-- and their enforced contracts (features.yml) check names, order and DOUBLE type.
-- Only answers a lead gave before the sales team contacted them (web behaviour, form answers,
-- how the lead arrived). Excluded (see README): Tags, Lead Quality, Last Activity, Last Notable
-- Activity, Lead Profile, Asymmetrique indices/scores (filled in or computed after contact),
-- Do Not Email / Do Not Call (current CRM state; used for suppression), Lead Number (a key),
-- and columns with a single value (Magazine, Receive More Updates..., Update me on Supply Chain
-- Content, Get updates on DM Content, I agree to pay the amount through cheque).
{%- set one_hot = [
    ('lead_origin_category', 'origin', ['landing_page', 'api', 'lead_add_form', 'lead_import'], false),
    ('lead_source_category', 'source', ['google', 'direct_traffic', 'chat', 'organic_search', 'reference',
                                        'welingak_website', 'referral_sites', 'social'], false),
    ('occupation_category', 'occupation', ['unemployed', 'working_professional', 'student'], true),
    ('specialization_category', 'specialization', ['management', 'business', 'media_travel'], true),
    ('country_category', 'country', ['india', 'abroad'], true),
    ('city_category', 'city', ['mumbai_area', 'maharashtra', 'other_metro'], true),
    ('hear_about_category', 'heard', ['online_search', 'word_of_mouth'], true),
] %}
{%- set dbl = 'double precision' %}
select
    lead_id,
    cast(total_visits as {{ dbl }}) as total_visits,
    cast(time_on_website / 60.0 as {{ dbl }}) as time_on_website_minutes,
    cast(page_views_per_visit as {{ dbl }}) as page_views_per_visit,
    cast(case when free_interview_copy then 1 when not free_interview_copy then 0 end as {{ dbl }}) as free_interview_copy,
    cast(
        {%- for c in ['ad_search', 'ad_newspaper_article', 'ad_forums', 'ad_newspaper', 'ad_digital', 'ad_recommendations'] %}
        case when {{ c }} then 1 else 0 end{% if not loop.last %} +{% endif %}
        {%- endfor %}
    as {{ dbl }}) as ad_channels_seen
    {%- for column, prefix, values, with_missing in one_hot %}
    {%- for v in values %},
    cast(case when {{ column }} = '{{ v }}' then 1 else 0 end as {{ dbl }}) as {{ prefix }}_{{ v }}
    {%- endfor %}
    {%- if with_missing %},
    cast(case when {{ column }} is null then 1 else 0 end as {{ dbl }}) as {{ prefix }}_missing
    {%- endif %}
    {%- endfor %}
from {{ ref('stg_leads') }}
