-- Usable activities of accepted leads.
select activity_id, lead_id, activity_type, occurred_at
from {{ ref('stg_activities_checked') }}
where reject_reason is null
