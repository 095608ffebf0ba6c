-- Outcome counts per campaign, week of contact and arm group: the one place these counts are
-- made (campaign_performance, campaign_ab_test, weekly_precision and rollout phase 2 sum them).
-- arm_group 'list' = every contact not in the random arm (the model's choices), 'random' = the
-- control arm. expected_responses = sum of the scores at contact time over the known outcomes
-- that have one (scored_outcomes).
select
    campaign_id,
    contact_week,
    case when arm = 'random' then 'random' else 'list' end as arm_group,
    count(*) as contacted,
    cast(sum(case when label is not null then 1 else 0 end) as bigint) as known_outcomes,
    cast(sum(case when label = 1 then 1 else 0 end) as bigint) as responded,
    cast(sum(case when label is null then 1 else 0 end) as bigint) as pending,
    cast(sum(case when label is not null and score_at_contact is not null then 1 else 0 end) as bigint)
        as scored_outcomes,
    cast(sum(case when label = 1 and score_at_contact is not null then 1 else 0 end) as bigint) as scored_responded,
    sum(case when label is not null then score_at_contact end) as expected_responses,
    min(contacted_at) as first_contacted_at,
    max(contacted_at) as last_contacted_at
from {{ ref('monitoring_contacts') }}
group by campaign_id, contact_week, case when arm = 'random' then 'random' else 'list' end
