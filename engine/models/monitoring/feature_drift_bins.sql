-- The bins of the feature PSI (feature_drift sums them): per model feature, today's
-- lead_features against the training reference frozen in the artifact (model_feature_reference:
-- the values of the rows the model was trained on, as they read at training). Rebuilt from
-- today's raw files instead, the reference would move with any change in how the raw data
-- reads (a unit, a parser) and hide it. The features are the model's features among the
-- numeric columns of lead_features; bins are the reference's deciles (macro psi_bins) and NULLs
-- get a 'missing' bin 0. Today's side is binned once per distinct value with its count
-- (columns_as_value_counts): same counts.
-- depends_on: {{ ref('lead_features') }}
{%- set eps = leadscore.checked_var('psi_epsilon') %}
{%- set features = [] %}
{%- set max_count = 1 %}
{%- set reference = ref('model_feature_reference') %}
{#- compiled without a warehouse (sqlfluff, dbt compile), the reference table is not there -#}
{%- if execute and adapter.get_relation(reference.database, reference.schema, reference.identifier) is not none %}
  {#- one query: the model's features and the largest count (how many copies of a value) -#}
  {%- set counts = run_query("select lower(feature), max(value_count) from " ~ reference ~ " group by 1") %}
  {%- set model_features = counts.columns[0].values() | list %}
  {%- for c in adapter.get_columns_in_relation(ref('lead_features')) %}
    {%- if (c.name | lower) in model_features and (c.is_float() or c.is_integer() or c.is_numeric()) %}
      {%- do features.append(c.name) %}
    {%- endif %}
  {%- endfor %}
  {%- set max_count = counts.columns[1].values() | max if model_features else 1 %}
{%- endif %}
with copies as (
    {{ integer_series(max_count, digits=(max_count | string | length)) }}
),

reference as (
    -- one row per training row and feature: each value repeated value_count times
    select r.feature, r.value
    from {{ ref('model_feature_reference') }} as r
    inner join copies as c
        on r.value_count > c.i
),

current_features as (
    {{ columns_as_value_counts(ref('lead_features'), features) }}
),

binned as (
    {{ psi_bins('reference', 'current_features', 'feature', 'value', 10, eps, current_weight='value_count') }}
)
select
    card.model_version,
    binned.feature, binned.bin, binned.lower_edge, binned.upper_edge, binned.bins,
    binned.n_ref, binned.n_cur, binned.ref_count, binned.cur_count,
    binned.ref_share, binned.cur_share, binned.psi_term,
    cast({{ eps }} as {{ type_double() }}) as psi_epsilon
from binned
cross join {{ ref('model_card') }} as card
