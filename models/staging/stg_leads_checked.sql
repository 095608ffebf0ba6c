-- Every row of the leads file, typed, with why each bad value was dropped (<col>__issue)
-- and why a row cannot be used at all (reject_reason). stg_leads keeps the usable rows;
-- data_quality_issues reports the rest.
{{ config(post_hook="{{ leadscore.add_malformed_csv_rows('leads') }}") }}
{%- set numbers = {'connections': true, 'followers': false, 'years_in_role': false,
                   'years_experience': false, 'skills_count': false, 'recommendations_count': false,
                   'mutual_connections': false, 'shared_groups': false} %}
with raw as (
    {{ leadscore.keyed_rows(
        ref('raw_leads'), leadscore.text_value('lead_id'), leadscore.raw_file_path('leads')
    ) }}
),

parsed as (
    -- each number and timestamp parsed once (number_parsed: "500+" is read as 500 for
    -- connections); the macros name the raw rows `r`: qualified, hence the noqa
    select
        r.*,  -- noqa: RF03
        {%- for col, capped in numbers.items() %}
        {{ leadscore.number_parsed(col, allow_capped_500=capped) }},
        {%- endfor %}
        {{ leadscore.timestamp_parsed('created_at') }}
    from raw as r
)

select
    r.source_file,
    r.source_line,
    r.row_key as lead_id,
    case
        when r.row_key is null then 'missing lead_id'
        when r.key_occurrence > 1 then {{ leadscore.duplicate_key_reason('lead_id') }}
    end as reject_reason,
    case when r.row_key is null or r.key_occurrence > 1 then 'lead_id' end as reject_column,
    case when r.row_key is null or r.key_occurrence > 1 then r.lead_id end as reject_value,
    {{ leadscore.text_value('r.full_name') }} as full_name,
    {{ leadscore.email_columns('email') }},
    {{ leadscore.text_value('r.profile_url') }} as profile_url,
    {{ leadscore.text_value('r.job_title') }} as job_title,
    {{ leadscore.enum_columns('seniority', 'sen.seniority') }},
    {{ leadscore.text_value('r.job_function') }} as job_function,
    {{ leadscore.text_value('r.industry') }} as industry,
    {{ leadscore.text_value('r.company_name') }} as company_name,
    {{ leadscore.enum_columns('company_size', 'size.company_size') }},
    {{ leadscore.text_value('r.country') }} as country,
    {{ leadscore.number_columns('connections', whole=true) }},
    {{ leadscore.text_value('r.connections') }} = '500+' as connections_capped,
    {{ leadscore.number_columns('followers', whole=true) }},
    {{ leadscore.number_columns('years_in_role') }},
    {{ leadscore.number_columns('years_experience') }},
    {{ leadscore.boolean_columns('has_photo') }},
    {{ leadscore.boolean_columns('is_premium') }},
    {{ leadscore.boolean_columns('is_open_profile') }},
    {{ leadscore.boolean_columns('open_to_work') }},
    {{ leadscore.number_columns('skills_count', whole=true) }},
    {{ leadscore.number_columns('recommendations_count', whole=true) }},
    {{ leadscore.number_columns('mutual_connections', whole=true) }},
    {{ leadscore.number_columns('shared_groups', whole=true) }},
    {{ leadscore.code_value('r.lead_source') }} as lead_source,
    {{ leadscore.timestamp_columns('created_at') }}
from parsed as r
left join {{ ref('seniority_levels') }} as sen
    on sen.seniority = replace({{ leadscore.code_value('r.seniority') }}, ' ', '')
left join {{ ref('company_sizes') }} as size
    on size.company_size = replace(replace({{ leadscore.code_value('r.company_size') }}, ' ', ''), ',', '')
