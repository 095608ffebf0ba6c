-- PSI per model feature of today's lead_features against the training reference: the rows
-- of lead_training_set the model was trained on (feature_as_of <= the card's training cut-off,
-- monitoring_model_card.training_feature_as_of_max). The features are every numeric column the two tables share (never a
-- hard-coded list); NULLs get a 'missing' bin.
-- depends_on: {{ ref('lead_training_set') }}
-- depends_on: {{ ref('lead_features') }}
{%- set eps = number_var('psi_epsilon', 0.000001, 100) %}
{%- set features = [] %}
{%- if execute %}
  {%- set numeric_types = ['double', 'float', 'real', 'integer', 'bigint', 'smallint', 'tinyint', 'hugeint', 'decimal', 'numeric', 'double precision', 'float8', 'float4', 'int', 'int4', 'int8'] %}
  {%- set train_cols = {} %}
  {%- for c in adapter.get_columns_in_relation(ref('lead_training_set')) %}
    {%- do train_cols.update({c.name | lower: c.dtype | lower}) %}
  {%- endfor %}
  {%- for c in adapter.get_columns_in_relation(ref('lead_features')) %}
    {%- set t = c.dtype | lower %}
    {%- if (c.name | lower) in train_cols and (t.split('(')[0] in numeric_types) %}
      {%- do features.append(c.name) %}
    {%- endif %}
  {%- endfor %}
{%- endif %}
with training_rows as (
    select t.* from {{ ref('lead_training_set') }} t
    where t.feature_as_of <= (select training_feature_as_of_max from {{ ref('monitoring_model_card') }})
),
reference as (
    {%- for f in features %}
    select '{{ f }}' as feature, cast({{ adapter.quote(f) }} as {{ type_double() }}) as value from training_rows
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not features %}
    select cast(null as {{ dbt.type_string() }}) as feature, cast(null as {{ type_double() }}) as value where 1 = 0
    {%- endif %}
),
current_features as (
    {%- for f in features %}
    select '{{ f }}' as feature, cast({{ adapter.quote(f) }} as {{ type_double() }}) as value from {{ ref('lead_features') }}
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not features %}
    select cast(null as {{ dbt.type_string() }}) as feature, cast(null as {{ type_double() }}) as value where 1 = 0
    {%- endif %}
),
psi as (
    {{ psi('reference', 'current_features', 'feature', 'value', 10, eps) }}
)
select
    card.model_version,
    psi.feature,
    psi.bins, psi.n_ref, psi.n_cur, psi.psi,
    psi.psi_noise_expected, psi.psi_noise_critical,
    cast({{ eps }} as {{ type_double() }}) as psi_epsilon,
    {{ psi_status('psi.psi', 'psi.psi_noise_critical') }} as drift_status
from psi
cross join {{ ref('monitoring_model_card') }} card
