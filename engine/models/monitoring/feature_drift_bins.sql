-- The bins of the feature PSI (feature_drift sums them): per model feature, today's
-- lead_features against the training reference, the rows of lead_training_set the model was
-- trained on (feature_as_of <= the card's training cut-off, model_card.trained_through). The
-- features are every numeric column the two tables share (never a hard-coded list); bins are
-- the reference's deciles (macro psi_bins) and NULLs get a 'missing' bin 0. Today's side is
-- binned once per distinct value with its count (columns_as_value_counts): same counts.
-- depends_on: {{ ref('lead_training_set') }}
-- depends_on: {{ ref('lead_features') }}
{%- set eps = leadscore.checked_var('psi_epsilon') %}
{%- set features = [] %}
{%- if execute %}
  {%- set train_cols = adapter.get_columns_in_relation(ref('lead_training_set')) | map(attribute='name') | map('lower') | list %}
  {%- for c in adapter.get_columns_in_relation(ref('lead_features')) %}
    {%- if (c.name | lower) in train_cols and (c.is_float() or c.is_integer() or c.is_numeric()) %}
      {%- do features.append(c.name) %}
    {%- endif %}
  {%- endfor %}
{%- endif %}
-- (at parse time `features` is empty and training_rows unused, hence the noqa)
with training_rows as (  -- noqa: ST03
    select * from {{ ref('lead_training_set') }}
    where feature_as_of <= (select mc.trained_through from {{ ref('model_card') }} as mc)
),

reference as (
    {{ columns_as_rows('training_rows', features) }}
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
