-- Handed to the engine (interface model contact_attempts): every contact of the outreach file
-- whose lead is accepted and whose contact time is readable, rejected as a label or not.
select lead_id, contacted_at
from {{ ref('stg_outreach_checked') }}
where lead_is_known and contacted_at is not null
