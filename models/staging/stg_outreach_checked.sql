-- Every row of the outreach file, typed and checked (see stg_leads_checked).
{{ config(post_hook="{{ leadscore.add_malformed_csv_rows('outreach') }}") }}
with raw as (
    {{ leadscore.keyed_rows(
        ref('raw_outreach'), leadscore.text_value('contact_id'), leadscore.raw_file_path('outreach')
    ) }}
),

parsed as (
    -- each value cleaned or parsed once, as in stg_activities_checked (hence the noqa)
    select
        r.*,  -- noqa: RF03
        -- tabs and line breaks too: a contact must reach its lead (the recontact window), and
        -- the outreach file is small
        {{ leadscore.text_value('r.lead_id', all_whitespace=true) }} as lead_id__text,
        {{ leadscore.code_value('r.channel') }} as channel__code,
        {{ leadscore.code_value('r.experiment_group') }} as experiment_group__code,
        {{ leadscore.timestamp_parsed('contacted_at') }},
        {{ leadscore.timestamp_parsed('responded_at') }}
    from raw as r
),

checked as (
    select
        r.source_file,
        r.source_line,
        r.row_key as contact_id,
        r.lead_id__text as lead_id,
        r.key_occurrence,
        r.first_line,
        lead.lead_id is not null as lead_is_known,
        {{ leadscore.text_value('r.campaign_id') }} as campaign_id,
        {{ leadscore.enum_columns('channel', 'chan.channel', code='r.channel__code') }},
        {{ leadscore.enum_columns('experiment_group', 'grp.experiment_group', code='r.experiment_group__code') }},
        {{ leadscore.timestamp_columns('contacted_at') }},
        {{ leadscore.boolean_columns('responded') }},
        {{ leadscore.timestamp_columns('responded_at') }}
    from parsed as r
    left join {{ ref('stg_leads') }} as lead
        on r.lead_id__text = lead.lead_id
    left join {{ ref('outreach_channels') }} as chan
        on r.channel__code = chan.channel
    left join {{ ref('experiment_groups') }} as grp
        on r.experiment_group__code = grp.experiment_group
)

-- the engine's rule for a usable contact (reject_reason, reject_column, reject_value)
select
    *,
    {{ leadscore.contact_reject_columns() }}
from checked
