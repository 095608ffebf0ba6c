-- Every contact the input records for an accepted lead at a readable time, usable as a label or
-- not (from input_contact_attempts): the recontact window reads it, so a contact rejected from
-- outreach (a response before it, a repeated contact_id) still keeps its lead off the lists.
select lead_id, contacted_at
from {{ leadscore.checked_input('contact_attempts', ['lead_id', 'contacted_at']) }}
