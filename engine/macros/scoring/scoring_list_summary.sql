{#-
  CTE tail shared by the outreach lists: adds list_position and the list-level expectations to
  the rows of `selected` (must carry engagement_score and score_rank).
  expected_responses = sum(p); expected_precision = mean(p); interval = normal approximation of
  the Poisson-binomial response count (macros expected_count_low / expected_count_high):
  sum(p) -/+ z95 * sqrt(sum(p (1 - p))), clipped to [0, list_size]; precision
  bounds are those counts / list_size.
-#}
{% macro scoring_list_summary(selected) -%}
summary as (
    select
        count(*) as list_size,
        min(engagement_score) as list_min_score,
        max(engagement_score) as list_max_score,
        sum(engagement_score) as expected_responses,
        avg(engagement_score) as expected_precision,
        sum(engagement_score * (1 - engagement_score)) as responses_variance
    from {{ selected }}
)

select
    row_number() over (order by s.score_rank) as list_position,
    s.*,
    summary.list_size,
    summary.list_min_score,
    summary.list_max_score,
    summary.expected_responses,
    summary.expected_precision,
    {{ leadscore.expected_count_low('summary.expected_responses', 'summary.responses_variance') }}
        / nullif(summary.list_size, 0) as expected_precision_low,
    {{ leadscore.expected_count_high('summary.expected_responses', 'summary.responses_variance', 'summary.list_size') }}
        / nullif(summary.list_size, 0) as expected_precision_high
from {{ selected }} as s
cross join summary
order by s.score_rank
{%- endmacro %}
