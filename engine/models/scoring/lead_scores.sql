{#-
  One row per lead of lead_features, scored by the deployed model: the margin (log-odds; the
  mean of the artifact's boosters' margins), XGBoost's probability, the calibrated
  engagement_score, its priority tier, rank and percentile. The margin comes from the fastest
  path of the engine: XGBoost in Python on DuckDB (lead_margins), SQL compiled from the
  artifact's trees elsewhere (see scoring_in_python); everything after the margin is this SQL
  on every adapter, so both paths give the same table.
-#}
with margins as (
    {%- if leadscore.scoring_in_python() %}
    select lead_id, feature_as_of, raw_margin from {{ ref('lead_margins') }}
    {%- else %}
    {{ leadscore.sql_margins(ref('lead_features')) }}
    {%- endif %}
),

card as (
    select model_version, calibration_a, calibration_b from {{ ref('model_card') }}
),

scored as (
    select
        m.lead_id,
        m.feature_as_of,
        m.raw_margin,
        1.0 / (1.0 + exp(-m.raw_margin)) as raw_score,
        1.0 / (1.0 + exp(-(card.calibration_a * m.raw_margin + card.calibration_b))) as engagement_score,
        card.model_version
    from margins as m
    cross join card
)

select
    s.lead_id,
    s.engagement_score,
    s.raw_score,
    s.raw_margin,
    row_number() over (order by s.engagement_score desc, s.lead_id asc) as score_rank,
    round(100.0 * cume_dist() over (order by s.engagement_score asc), 4) as score_percentile,
    t.label as priority,
    s.model_version,
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as scored_at,
    s.feature_as_of
from scored as s
inner join {{ ref('model_tiers') }} as t
    on s.engagement_score >= t.min_score
    and (t.max_score is null or s.engagement_score < t.max_score)
