{#-
  Scored leads that may be contacted now: not in do_not_contact and not contacted within
  var recontact_window_days (default 90) before their feature_as_of (any later contact also
  counts as recent) - by contact_attempts, every recorded contact, not only those usable as
  labels. Carries the contact columns the outreach lists need.
-#}
{%- set window_days = leadscore.checked_var('recontact_window_days') %}

with scores as (
    select * from {{ ref('lead_scores') }}
),

recently_contacted as (
    select distinct s.lead_id
    from scores as s
    inner join {{ ref('contact_attempts') }} as o
        on s.lead_id = o.lead_id
    where o.contacted_at >= {{ dbt.dateadd('day', -1 * window_days, 's.feature_as_of') }}
),

suppressed as (
    select distinct lead_id from {{ ref('do_not_contact') }}
)

select
    s.lead_id,
    l.full_name,
    l.email,
    l.profile_url,
    l.job_title,
    l.company_name,
    s.engagement_score,
    s.raw_score,
    s.score_rank,
    s.score_percentile,
    s.priority,
    s.model_version,
    s.feature_as_of,
    s.scored_at
from scores as s
inner join {{ ref('leads') }} as l
    on s.lead_id = l.lead_id
where s.lead_id not in (select rc.lead_id from recently_contacted as rc)
  and s.lead_id not in (select sup.lead_id from suppressed as sup)
