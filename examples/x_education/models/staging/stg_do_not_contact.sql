-- Leads that asked not to be e-mailed or called (`Do Not Email` / `Do Not Call` = Yes): one row
-- per suppressed lead. These flags are the CRM's current state (possibly set after contact),
-- so they suppress outreach but are not model features.
select
    lead_id,
    case when do_not_email and do_not_call then 'do not email; do not call'
         when do_not_email then 'do not email'
         else 'do not call' end as reason
from {{ ref('stg_leads') }}
where do_not_email or do_not_call
