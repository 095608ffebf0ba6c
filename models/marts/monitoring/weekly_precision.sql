-- Response rate of contacted leads per calendar week of contacted_at (week start as given by
-- dbt.date_trunc('week'), Monday on DuckDB): the selected lists (every arm except random)
-- with a Wilson interval, and the random arm beside it.
select
    contact_week as week_start,
    cast(sum(case when arm <> 'random' then 1 else 0 end) as bigint) as contacted,
    cast(sum(case when arm <> 'random' and label = 1 then 1 else 0 end) as bigint) as responded,
    cast(sum(case when arm <> 'random' and label is null then 1 else 0 end) as bigint) as pending,
    cast(sum(case when arm <> 'random' and label is not null then 1 else 0 end) as bigint) as known_outcomes,
    case when cast(sum(case when arm <> 'random' and label is not null then 1 else 0 end) as bigint) > 0 then
        cast(sum(case when arm <> 'random' and label = 1 then 1 else 0 end) as {{ type_double() }})
        / cast(sum(case when arm <> 'random' and label is not null then 1 else 0 end) as bigint) end as response_rate,
    {{ wilson_low('cast(sum(case when arm <> \'random\' and label = 1 then 1 else 0 end) as bigint)',
                  'cast(sum(case when arm <> \'random\' and label is not null then 1 else 0 end) as bigint)') }} as ci_low,
    {{ wilson_high('cast(sum(case when arm <> \'random\' and label = 1 then 1 else 0 end) as bigint)',
                   'cast(sum(case when arm <> \'random\' and label is not null then 1 else 0 end) as bigint)') }} as ci_high,
    cast(sum(case when arm = 'random' then 1 else 0 end) as bigint) as random_contacted,
    cast(sum(case when arm = 'random' and label is not null then 1 else 0 end) as bigint) as random_known_outcomes,
    cast(sum(case when arm = 'random' and label = 1 then 1 else 0 end) as bigint) as random_responded,
    case when cast(sum(case when arm = 'random' and label is not null then 1 else 0 end) as bigint) > 0 then
        cast(sum(case when arm = 'random' and label = 1 then 1 else 0 end) as {{ type_double() }})
        / cast(sum(case when arm = 'random' and label is not null then 1 else 0 end) as bigint) end as random_rate
from {{ ref('monitoring_contacts') }}
group by contact_week
