-- Every row of the activities file, typed and checked (see stg_leads_checked).
with raw as (
    select
        *,
        {{ text_value('activity_id') }} as activity_key,
        row_number() over (partition by {{ text_value('activity_id') }} order by source_line) as key_occurrence,
        min(source_line) over (partition by {{ text_value('activity_id') }}) as first_line
    from {{ ref('raw_activities') }}
),

checked as (
    select
        r.source_file,
        r.source_line,
        r.activity_key as activity_id,
        {{ text_value('r.lead_id') }} as lead_id,
        r.key_occurrence,
        r.first_line,
        lead.lead_id as known_lead_id,
        {{ enum_columns('activity_type', 'act.activity_type') }},
        {{ timestamp_columns('occurred_at') }}
    from raw as r
    left join {{ ref('stg_leads') }} as lead
        on lead.lead_id = {{ text_value('r.lead_id') }}
    left join {{ ref('activity_types') }} as act
        on act.activity_type = {{ code_value('r.activity_type') }}
)

select
    *,
    -- the first failing rule, in this order, decides the reason
    case
        when activity_id is null then 'missing activity_id'
        when key_occurrence > 1
            then 'duplicate activity_id (first seen on line ' || cast(first_line as {{ dbt.type_string() }}) || ')'
        when lead_id is null then 'missing lead_id'
        when known_lead_id is null then 'unknown lead (not among the accepted leads)'
        when occurred_at is null then 'missing or unparseable occurred_at'
    end as reject_reason,
    case
        when activity_id is null or key_occurrence > 1 then 'activity_id'
        when lead_id is null or known_lead_id is null then 'lead_id'
        when occurred_at is null then 'occurred_at'
    end as reject_column,
    case
        when activity_id is null or key_occurrence > 1 then activity_id
        when lead_id is null or known_lead_id is null then lead_id
        when occurred_at is null then occurred_at__raw
    end as reject_value
from checked
