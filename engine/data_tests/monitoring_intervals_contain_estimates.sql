-- Every reported rate lies in [0, 1] and inside its Wilson interval (rows returned = failures).
with rates as (
    select 'precision_at_k' as mart, evaluated_set as row_key, precision as rate, ci_low, ci_high
    from {{ ref('precision_at_k') }}
    union all
    select 'cv_precision_at_k' as mart, cast(k as {{ dbt.type_string() }}) as row_key, precision as rate,
        ci_low, ci_high
    from {{ ref('cv_precision_at_k') }}
    union all
    select 'lift_by_decile' as mart, evaluated_set as row_key, response_rate as rate, ci_low, ci_high
    from {{ ref('lift_by_decile') }}
    union all
    select 'threshold_curve' as mart, evaluated_set as row_key, precision as rate, ci_low, ci_high
    from {{ ref('threshold_curve') }}
    union all
    select 'campaign_performance' as mart, campaign_id as row_key, actual_precision as rate, ci_low, ci_high
    from {{ ref('campaign_performance') }}
    union all
    select 'weekly_precision' as mart, cast(week_start as {{ dbt.type_string() }}) as row_key,
        response_rate as rate, ci_low, ci_high
    from {{ ref('weekly_precision') }}
)

select * from rates
where rate is not null
  and (rate < 0 or rate > 1 or ci_low < 0 or ci_high > 1
       or ci_low > rate + 1e-12 or ci_high < rate - 1e-12)
