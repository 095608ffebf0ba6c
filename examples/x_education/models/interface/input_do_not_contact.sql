-- Handed to the engine (interface model do_not_contact): leads that asked not to be e-mailed or
-- called. These flags are the CRM's state at export (possibly set after contact), so they
-- suppress outreach but are never features.
select
    lead_id,
    case when do_not_email and do_not_call then 'do not email; do not call'
         when do_not_email then 'do not email'
         else 'do not call' end as reason
from {{ ref('stg_leads') }}
where do_not_email or do_not_call
