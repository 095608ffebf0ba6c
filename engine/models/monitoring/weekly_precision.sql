-- Response rate of contacted leads per calendar week of contacted_at (week start as given by
-- dbt.date_trunc('week'), Monday on DuckDB): the selected lists (every arm except random)
-- and the random arm beside it, each with its Wilson interval.
with weekly as (
    select
        contact_week as week_start,
        cast(sum(case when arm_group = 'list' then contacted else 0 end) as bigint) as contacted,
        cast(sum(case when arm_group = 'list' then responded else 0 end) as bigint) as responded,
        cast(sum(case when arm_group = 'list' then pending else 0 end) as bigint) as pending,
        cast(sum(case when arm_group = 'list' then known_outcomes else 0 end) as bigint) as known_outcomes,
        cast(sum(case when arm_group = 'random' then contacted else 0 end) as bigint) as random_contacted,
        cast(sum(case when arm_group = 'random' then known_outcomes else 0 end) as bigint) as random_known_outcomes,
        cast(sum(case when arm_group = 'random' then responded else 0 end) as bigint) as random_responded
    from {{ ref('outreach_outcomes') }}
    group by contact_week
)

select
    week_start, contacted, responded, pending, known_outcomes,
    case when known_outcomes > 0 then cast(responded as {{ type_double() }}) / known_outcomes end as response_rate,
    {{ wilson_low('responded', 'known_outcomes') }} as ci_low,
    {{ wilson_high('responded', 'known_outcomes') }} as ci_high,
    random_contacted, random_known_outcomes, random_responded,
    case when random_known_outcomes > 0
         then cast(random_responded as {{ type_double() }}) / random_known_outcomes end as random_rate,
    {{ wilson_low('random_responded', 'random_known_outcomes') }} as random_ci_low,
    {{ wilson_high('random_responded', 'random_known_outcomes') }} as random_ci_high
from weekly
