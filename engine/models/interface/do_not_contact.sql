-- Leads that must never be contacted (opt-outs, objections), one row per lead.
select lead_id, reason
from {{ leadscore.checked_input('do_not_contact', ['lead_id', 'reason']) }}
