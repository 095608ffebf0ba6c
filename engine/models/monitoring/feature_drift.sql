-- PSI per model feature of today's lead_features against the training reference: the sum
-- of the per-bin terms of feature_drift_bins (which says what the reference is and how the
-- bins are cut), with the PSI pure sampling noise gives at these sample sizes and the status.
with psi as (
    {{ psi_summary(ref('feature_drift_bins'), 'feature') }}
)
select
    card.model_version,
    psi.feature,
    psi.bins, psi.n_ref, psi.n_cur, psi.psi,
    psi.psi_noise_expected, psi.psi_noise_critical,
    cast({{ leadscore.checked_var('psi_epsilon') }} as {{ type_double() }}) as psi_epsilon,
    {{ psi_status('psi.psi', 'psi.psi_noise_critical') }} as drift_status
from psi
cross join {{ ref('model_card') }} as card
