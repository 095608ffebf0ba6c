-- Handed to the engine (interface model leads): contact details for the outreach lists.
select lead_id, full_name, email, profile_url, job_title, company_name, lead_source
from {{ ref('stg_leads') }}
