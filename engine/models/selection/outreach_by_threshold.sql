{#-
  Eligible leads with engagement_score >= threshold (var threshold overrides the card's
  threshold from model_card), best first. List-level expectations (same on every row):
  expected_responses = sum of calibrated scores, expected_precision = their mean; the interval
  is the normal approximation to the Poisson-binomial count of responses:
  sum(p) +/- z95 * sqrt(sum p(1-p)), clipped to [0, list_size], divided by list_size for precision.
-#}
with cut as (
    {{ threshold_in_use() }}
),

selected as (
    select e.*, cut.threshold_used, cut.threshold_source
    from {{ ref('outreach_eligible_leads') }} as e
    cross join cut
    where e.engagement_score >= cut.threshold_used
),

{{ scoring_list_summary('selected') }}
