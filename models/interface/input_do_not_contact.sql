-- Leads that must never be contacted: named by lead_id, or by an e-mail that matches a lead.
-- The build log says which file was read and how many leads it suppresses (log_suppression).
{{ config(post_hook="{{ log_suppression() }}") }}
with entries as (
    select lead_id, email, reason
    from {{ ref('stg_do_not_contact_checked') }}
    where reject_reason is null
),

matched as (
    select lead.lead_id, e.reason
    from entries as e
    inner join {{ ref('stg_leads') }} as lead
        on e.lead_id = lead.lead_id or (e.email is not null and e.email = lead.email)
)

select lead_id, min(reason) as reason
from matched
group by lead_id
