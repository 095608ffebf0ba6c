-- Every row of the leads file, typed, with why each bad value was dropped (<col>__issue)
-- and why a row cannot be used at all (reject_reason). stg_leads keeps the usable rows;
-- data_quality_issues reports the rest.
with raw as (
    {{ keyed_rows(ref('raw_leads'), text_value('lead_id')) }}
)

select
    r.source_file,
    r.source_line,
    r.row_key as lead_id,
    case
        when r.row_key is null then 'missing lead_id'
        when r.key_occurrence > 1 then {{ duplicate_key_reason('lead_id') }}
    end as reject_reason,
    case when r.row_key is null or r.key_occurrence > 1 then 'lead_id' end as reject_column,
    case when r.row_key is null or r.key_occurrence > 1 then r.lead_id end as reject_value,
    {{ text_value('r.full_name') }} as full_name,
    {{ email_columns('email') }},
    {{ text_value('r.profile_url') }} as profile_url,
    {{ text_value('r.job_title') }} as job_title,
    {{ enum_columns('seniority', 'sen.seniority') }},
    {{ text_value('r.job_function') }} as job_function,
    {{ text_value('r.industry') }} as industry,
    {{ text_value('r.company_name') }} as company_name,
    {{ enum_columns('company_size', 'size.company_size') }},
    {{ text_value('r.country') }} as country,
    {{ number_columns('connections', allow_capped_500=true) }},
    {{ text_value('r.connections') }} = '500+' as connections_capped,
    {{ number_columns('followers') }},
    {{ number_columns('years_in_role') }},
    {{ number_columns('years_experience') }},
    {{ boolean_columns('has_photo') }},
    {{ boolean_columns('is_premium') }},
    {{ boolean_columns('is_open_profile') }},
    {{ boolean_columns('open_to_work') }},
    {{ number_columns('skills_count') }},
    {{ number_columns('recommendations_count') }},
    {{ number_columns('mutual_connections') }},
    {{ number_columns('shared_groups') }},
    {{ code_value('r.lead_source') }} as lead_source,
    {{ timestamp_columns('created_at') }}
from raw as r
left join {{ ref('seniority_levels') }} as sen
    on sen.seniority = replace({{ code_value('r.seniority') }}, ' ', '')
left join {{ ref('company_sizes') }} as size
    on size.company_size = replace(replace({{ code_value('r.company_size') }}, ' ', ''), ',', '')
