-- The engagement_score distribution of today's leads (population 'current', lead_scores)
-- against the training reference ('reference': the artifact's out-of-fold calibrated scores,
-- the reference of score_drift), on 20 fixed bins of width 0.05 (every bin of both
-- populations, empty ones with 0 leads), each share with its Wilson 95% interval.
with scores as (
    select 'reference' as population, score from {{ ref('model_oof_predictions') }}
    union all
    select 'current' as population, engagement_score as score from {{ ref('lead_scores') }}
),

binned as (
    -- a score of exactly 1 belongs to the last bin
    select population, least(19, {{ grid_bucket('score', 20) }}) + 1 as bin
    from scores
),

populations as (
    select population, count(*) as population_rows from scores
    group by population
),

grid as (
    select i as bin from ({{ integer_series(20) }}) as s
    where i >= 1
),

counts as (
    select p.population, p.population_rows, g.bin,
        cast(count(b.bin) as bigint) as leads
    from populations as p
    cross join grid as g
    left join binned as b on p.population = b.population and g.bin = b.bin
    group by p.population, p.population_rows, g.bin
)

select
    population, bin,
    cast(bin - 1 as {{ type_double() }}) / 20 as bin_low,
    cast(bin as {{ type_double() }}) / 20 as bin_high,
    leads, population_rows,
    cast(leads as {{ type_double() }}) / population_rows as share,
    {{ wilson_low('leads', 'population_rows') }} as share_ci_low,
    {{ wilson_high('leads', 'population_rows') }} as share_ci_high
from counts
