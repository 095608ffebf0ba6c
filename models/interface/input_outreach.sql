-- Handed to the engine (interface model outreach): usable contacts and their outcomes.
select contact_id, lead_id, campaign_id, channel, experiment_group, contacted_at, responded, responded_at
from {{ ref('stg_outreach') }}
