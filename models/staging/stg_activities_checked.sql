-- Every row of the activities file, typed and checked (see stg_leads_checked).
{{ config(post_hook="{{ leadscore.add_malformed_csv_rows('activities') }}") }}
with raw as (
    {{ leadscore.keyed_rows(
        ref('raw_activities'), leadscore.text_value('activity_id'), leadscore.raw_file_path('activities')
    ) }}
),

parsed as (
    -- each value cleaned or parsed once: used by a join and the select (at 100M events each
    -- repeat cost seconds); timestamp_parsed names the raw rows `r`, hence the noqa
    select
        r.*,  -- noqa: RF03
        {{ leadscore.text_value('r.lead_id') }} as lead_id__text,
        {{ leadscore.code_value('r.activity_type') }} as activity_type__code,
        {{ leadscore.timestamp_parsed('occurred_at') }}
    from raw as r
),

checked as (
    select
        r.source_file,
        r.source_line,
        r.row_key as activity_id,
        r.lead_id__text as lead_id,
        r.key_occurrence,
        r.first_line,
        lead.lead_id is not null as lead_is_known,
        {{ leadscore.enum_columns('activity_type', 'act.activity_type', code='r.activity_type__code') }},
        {{ leadscore.timestamp_columns('occurred_at') }}
    from parsed as r
    left join {{ ref('stg_leads') }} as lead
        on r.lead_id__text = lead.lead_id
    left join {{ ref('activity_types') }} as act
        on r.activity_type__code = act.activity_type
)

select
    *,
    -- the first failing rule, in this order, decides the reason
    case
        when activity_id is null then 'missing activity_id'
        when key_occurrence > 1 then {{ leadscore.duplicate_key_reason('activity_id', 'checked') }}
        when lead_id is null then 'missing lead_id'
        when not lead_is_known then 'unknown lead (not among the accepted leads)'
        when occurred_at is null then {{ leadscore.unusable_timestamp_reason('occurred_at') }}
    end as reject_reason,
    case
        when activity_id is null or key_occurrence > 1 then 'activity_id'
        when lead_id is null or not lead_is_known then 'lead_id'
        when occurred_at is null then 'occurred_at'
    end as reject_column,
    case
        when activity_id is null or key_occurrence > 1 then activity_id
        when lead_id is null or not lead_is_known then lead_id
        when occurred_at is null then occurred_at__raw
    end as reject_value
from checked
