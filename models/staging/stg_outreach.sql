-- Usable contacts with their outcome (responded NULL = pending).
select contact_id, lead_id, campaign_id, channel, experiment_group, contacted_at,
       responded, responded_at
from {{ ref('stg_outreach_checked') }}
where reject_reason is null
