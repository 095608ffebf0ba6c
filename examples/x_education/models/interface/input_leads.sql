-- Handed to the engine (interface model leads): what the outreach lists show. The export has no
-- names or contact details (NULL; lead_id identifies the lead); job_title = the stated
-- occupation, lead_source = the `Lead Source` answer (lower case).
select
    lead_id,
    cast(null as {{ dbt.type_string() }}) as full_name,
    cast(null as {{ dbt.type_string() }}) as email,
    cast(null as {{ dbt.type_string() }}) as profile_url,
    occupation_answer as job_title,
    cast(null as {{ dbt.type_string() }}) as company_name,
    lead_source_answer as lead_source
from {{ ref('stg_leads') }}
