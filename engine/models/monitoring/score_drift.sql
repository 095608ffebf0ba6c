-- PSI of today's engagement_score (lead_scores) against the training reference (the
-- artifact's out-of-fold calibrated scores), bins fixed from the reference's deciles,
-- smoothing var psi_epsilon pseudo-counts per bin (default 0.5).
{%- set eps = leadscore.checked_var('psi_epsilon') %}
with reference as (
    select 'engagement_score' as measure, score as value from {{ ref('model_oof_predictions') }}
),

current_scores as (
    select 'engagement_score' as measure, engagement_score as value from {{ ref('lead_scores') }}
),

psi as (
    {{ psi('reference', 'current_scores', 'measure', 'value', 10, eps) }}
)

select
    card.model_version,
    psi.measure,
    psi.bins, psi.n_ref, psi.n_cur, psi.psi,
    psi.psi_noise_expected, psi.psi_noise_critical,
    cast({{ eps }} as {{ type_double() }}) as psi_epsilon,
    {{ psi_status('psi.psi', 'psi.psi_noise_critical') }} as drift_status
from psi
cross join {{ ref('model_card') }} as card
