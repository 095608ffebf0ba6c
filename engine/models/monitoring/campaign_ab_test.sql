-- Model list vs random arm per campaign: pooled two-proportion z-test on the known outcomes
-- (model arm = every contact not in the random arm), two-sided p-value, and the contacts per
-- arm needed to detect the observed lift (alpha and power from vars ab_alpha / ab_power).
{%- set alpha = leadscore.checked_var('ab_alpha') %}
{%- set power = leadscore.checked_var('ab_power') %}
with arms as (
    select
        campaign_id,
        cast(sum(case when arm_group = 'list' then contacted else 0 end) as bigint) as model_contacted,
        cast(sum(case when arm_group = 'list' then known_outcomes else 0 end) as bigint) as model_known,
        cast(sum(case when arm_group = 'list' then responded else 0 end) as bigint) as model_responded,
        cast(sum(case when arm_group = 'random' then contacted else 0 end) as bigint) as random_contacted,
        cast(sum(case when arm_group = 'random' then known_outcomes else 0 end) as bigint) as random_known,
        cast(sum(case when arm_group = 'random' then responded else 0 end) as bigint) as random_responded
    from {{ ref('outreach_outcomes') }}
    group by campaign_id
),

rates as (
    select *,
        case when model_known > 0 then cast(model_responded as {{ type_double() }}) / model_known end as model_rate,
        case when random_known > 0 then cast(random_responded as {{ type_double() }}) / random_known end as random_rate,
        {{ two_proportion_z('model_responded', 'model_known', 'random_responded', 'random_known') }} as z
    from arms
),

tested as (
    select *,
        {{ lift('model_rate', 'random_rate') }} as lift,
        case when z is not null then {{ two_sided_p_value('z') }} end as p_value
    from rates
)

select
    campaign_id,
    random_contacted > 0 as has_random_arm,
    model_contacted, model_known, model_responded, model_rate,
    {{ wilson_low('model_responded', 'model_known') }} as model_ci_low,
    {{ wilson_high('model_responded', 'model_known') }} as model_ci_high,
    random_contacted, random_known, random_responded, random_rate,
    {{ wilson_low('random_responded', 'random_known') }} as random_ci_low,
    {{ wilson_high('random_responded', 'random_known') }} as random_ci_high,
    lift, z, p_value,
    case when p_value is not null then p_value < {{ alpha }} end as significant,
    {{ sample_size_per_arm('random_rate', 'lift', alpha, power) }} as required_per_arm,
    cast({{ alpha }} as {{ type_double() }}) as alpha,
    cast({{ power }} as {{ type_double() }}) as power,
    case
        when random_contacted = 0 then 'no random arm'
        when model_known = 0 or random_known = 0 then 'waiting for outcomes'
        when z is null then 'not testable (no variation)'
        when p_value < {{ alpha }} then 'significant'
        else 'not significant'
    end as test_status
from tested
