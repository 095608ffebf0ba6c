-- Calibration per evaluated set (cross-validation and each campaign, by the score at contact):
-- rows ranked by the tie rule and cut into 10 equal-count bins (the card's calibration bands
-- for cross-validation; bin 1 = highest scores), the mean predicted probability against the
-- observed response rate with its Wilson 95% interval, and the band a perfectly calibrated
-- model would fall in (the Poisson-binomial interval of the expected responses, / n).
with ranked as (
    select evaluated_set, set_type, campaign_id, score, label,
        ntile(10) over (partition by evaluated_set order by {{ tie_rule_order() }}) as bin
    from {{ ref('monitoring_evaluation_set') }}
),

bins as (
    select evaluated_set, set_type, campaign_id, bin,
        count(*) as n, cast(sum(label) as bigint) as hits,
        min(score) as score_min, max(score) as score_max,
        sum(score) as expected_hits, sum(score * (1 - score)) as hits_variance
    from ranked
    group by evaluated_set, set_type, campaign_id, bin
)

select
    evaluated_set, set_type, campaign_id, bin, n, hits, score_min, score_max,
    expected_hits / n as mean_predicted,
    cast(hits as {{ type_double() }}) / n as observed_rate,
    {{ wilson_low('hits', 'n') }} as ci_low,
    {{ wilson_high('hits', 'n') }} as ci_high,
    {{ expected_count_low('expected_hits', 'hits_variance') }} / n as expected_rate_low,
    {{ expected_count_high('expected_hits', 'hits_variance', 'n') }} / n as expected_rate_high
from bins
