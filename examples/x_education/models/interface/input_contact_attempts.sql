-- Handed to the engine (interface model contact_attempts): the file's one contact per lead
-- (input_outreach) is every contact there is.
select lead_id, contacted_at
from {{ ref('input_outreach') }}
