-- Handed to the engine (interface model outreach). The file has no outreach log: every lead was
-- contacted once by X Education's sales team and its outcome (Converted) is known. One
-- 'historical' contact per lead, at the fixed date var xed_contacted_at (the file has no
-- dates); responded = Converted, NULL when Converted was not 0/1.
select
    lead_id as contact_id,
    lead_id,
    'historical' as campaign_id,
    cast(null as {{ dbt.type_string() }}) as channel,
    cast(null as {{ dbt.type_string() }}) as experiment_group,
    {{ leadscore.timestamp_var('xed_contacted_at') }} as contacted_at,
    converted as responded,
    cast(null as {{ dbt.type_timestamp() }}) as responded_at
from {{ ref('stg_leads') }}
