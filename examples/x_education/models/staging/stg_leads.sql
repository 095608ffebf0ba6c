-- Accepted X Education leads, one row per lead_id, under the main project's interface name.
-- The downstream (package) marts read lead_id, full_name, email, profile_url, job_title,
-- company_name and lead_source from stg_leads: the CRM export has no names or contact
-- details, so those are NULL (the outreach list then carries lead_id only); job_title holds
-- the lead's stated occupation and lead_source the cleaned `Lead Source` answer.
select
    lead_id,
    lead_number,
    cast(null as {{ dbt.type_string() }}) as full_name,
    cast(null as {{ dbt.type_string() }}) as email,
    cast(null as {{ dbt.type_string() }}) as profile_url,
    occupation as job_title,
    cast(null as {{ dbt.type_string() }}) as company_name,
    lower(lead_source) as lead_source,
    lead_source_category,
    lead_origin,
    lead_origin_category,
    occupation,
    occupation_category,
    specialization,
    specialization_category,
    country,
    country_category,
    city,
    city_category,
    hear_about,
    hear_about_category,
    total_visits,
    time_on_website,
    page_views_per_visit,
    free_interview_copy,
    ad_search, ad_magazine, ad_newspaper_article, ad_forums, ad_newspaper, ad_digital, ad_recommendations,
    do_not_email,
    do_not_call,
    converted,
    tags,
    lead_quality,
    last_activity,
    last_notable_activity,
    lead_profile
from {{ ref('stg_xed_leads_checked') }}
where reject_reason is null
