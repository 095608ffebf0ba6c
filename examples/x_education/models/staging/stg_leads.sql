-- Accepted X Education leads, one row per lead_id: typed answers (bad values NULL, explained in
-- data_quality_issues), the vocabulary categories, and the answers shown on outreach lists.
select
    lead_id,
    converted,
    total_visits,
    time_on_website,
    page_views_per_visit,
    lead_origin,
    lead_source,
    occupation,
    specialization,
    country,
    city,
    hear_about,
    free_interview_copy,
    ad_search, ad_newspaper_article, ad_forums, ad_newspaper, ad_digital, ad_recommendations,
    do_not_email,
    do_not_call,
    {{ leadscore.text_value('occupation__raw') }} as occupation_answer,
    {{ leadscore.code_value('lead_source__raw') }} as lead_source_answer,
    tags
from {{ ref('stg_xed_leads_checked') }}
where reject_reason is null
