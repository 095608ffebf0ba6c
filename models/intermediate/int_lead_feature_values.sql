-- The 47 model features for every row of the spine (scoring and training), defined once.
-- Profile attributes come from the leads export as it is (exports carry no history);
-- behaviour is cut at feature_as_of. NULL means missing: XGBoost learns a default
-- direction for it. Each feature's meaning and null rule is documented in features.yml.
with leads as (
    select
        l.*,
        sen.seniority_rank,
        sen.is_decision_maker,
        size.company_size_rank,
        coalesce(fn.function_group, 'other') as function_group,
        coalesce(ind.industry_group, 'other') as industry_group,
        coalesce(geo.region, 'other') as region,
        coalesce(src.source_group, 'other') as source_group,
        case when l.email_domain is null then null
             when free.email_domain is not null then 0 else 1 end as has_business_email
    from {{ ref('stg_leads') }} as l
    left join {{ ref('seniority_levels') }} as sen on l.seniority = sen.seniority
    left join {{ ref('company_sizes') }} as size on l.company_size = size.company_size
    left join {{ ref('job_function_groups') }} as fn on fn.job_function = lower(l.job_function)
    left join {{ ref('industry_groups') }} as ind on ind.industry = lower(l.industry)
    left join {{ ref('country_regions') }} as geo on geo.country = lower(l.country)
    left join {{ ref('lead_sources') }} as src on l.lead_source = src.lead_source
    left join {{ ref('free_email_domains') }} as free on l.email_domain = free.email_domain
)

select
    a.purpose,
    a.lead_id,
    a.contact_id,
    a.feature_as_of,
    -- profile
    cast(l.seniority_rank as {{ leadscore.type_double() }}) as seniority_rank,
    cast(l.is_decision_maker as {{ leadscore.type_double() }}) as is_decision_maker,
    cast(l.company_size_rank as {{ leadscore.type_double() }}) as company_size_rank,
    cast(l.connections as {{ leadscore.type_double() }}) as connections,
    cast(case when l.connections is null then null when l.connections >= 500 then 1 else 0 end
         as {{ leadscore.type_double() }}) as connections_capped,
    ln(1 + cast(l.followers as {{ leadscore.type_double() }})) as log_followers,
    cast(l.years_in_role as {{ leadscore.type_double() }}) as years_in_role,
    cast(l.years_experience as {{ leadscore.type_double() }}) as years_experience,
    {%- for flag in ['has_photo', 'is_premium', 'is_open_profile', 'open_to_work'] %}
    cast(case when l.{{ flag }} then 1 when not l.{{ flag }} then 0 end as {{ leadscore.type_double() }}) as {{ flag }},
    {%- endfor %}
    cast(l.skills_count as {{ leadscore.type_double() }}) as skills_count,
    cast(l.recommendations_count as {{ leadscore.type_double() }}) as recommendations_count,
    cast(l.mutual_connections as {{ leadscore.type_double() }}) as mutual_connections,
    cast(l.shared_groups as {{ leadscore.type_double() }}) as shared_groups,
    -- derived profile
    cast(({%- for col in ['email', 'profile_url', 'job_title', 'job_function', 'industry', 'company_name',
                          'company_size', 'country'] %}
        case when l.{{ col }} is not null then 1.0 else 0.0 end{% if not loop.last %} +{% endif %}
    {%- endfor %}) / 8.0 as {{ leadscore.type_double() }}) as profile_completeness,
    cast(l.has_business_email as {{ leadscore.type_double() }}) as has_business_email,
    -- LT05 below: dbt.datediff renders past 120 characters on DuckDB; the source lines are short.
    cast(case when {{ dbt.datediff('l.created_at', 'a.feature_as_of', 'day') }} >= 0  -- noqa: LT05
              then {{ dbt.datediff('l.created_at', 'a.feature_as_of', 'day') }} end  -- noqa: LT05
         as {{ leadscore.type_double() }}) as lead_age_days,
    -- NULL unless both are known (least() would ignore a NULL years_in_role and return 1.0)
    case when l.years_experience > 0 and l.years_in_role is not null
         then least(cast(l.years_in_role as {{ leadscore.type_double() }}) / l.years_experience, 1.0)
    end as role_tenure_ratio,
    -- categorical, one-hot from the vocabularies (missing and unknown -> all zeros)
    {%- for column, value, feature in [
        ('function_group', 'sales', 'function_sales'),
        ('function_group', 'marketing', 'function_marketing'),
        ('function_group', 'business_development', 'function_business_development'),
        ('function_group', 'engineering_it', 'function_engineering_it'),
        ('industry_group', 'software_it', 'industry_software_it'),
        ('industry_group', 'marketing_advertising', 'industry_marketing_advertising'),
        ('region', 'north_america', 'region_north_america'),
        ('region', 'europe', 'region_europe'),
        ('source_group', 'inbound', 'source_inbound'),
        ('source_group', 'event', 'source_event'),
    ] %}
    cast(case when l.{{ column }} = '{{ value }}' then 1 else 0 end as {{ leadscore.type_double() }}) as {{ feature }},
    {%- endfor %}
    -- behaviour, strictly before feature_as_of
    {%- for feature in activity_count_features() | map(attribute=1) | list + ['activities_30d', 'activities_90d'] %}
    cast(a.{{ feature }} as {{ leadscore.type_double() }}) as {{ feature }},
    {%- endfor %}
    -- LT05: dbt.datediff renders past 120 characters on DuckDB.
    cast({{ dbt.datediff('a.last_activity_at', 'a.feature_as_of', 'day') }}  -- noqa: LT05
         as {{ leadscore.type_double() }}) as days_since_last_activity,
    cast(a.distinct_activity_types as {{ leadscore.type_double() }}) as distinct_activity_types,
    case when a.email_opens > 0
         then cast(a.email_clicks as {{ leadscore.type_double() }}) / a.email_opens end as email_click_rate
from {{ ref('int_activity_features') }} as a
inner join leads as l on a.lead_id = l.lead_id
