-- PSI is never negative and the noise levels are positive when both samples exist.
select measure as name, psi, psi_noise_expected, psi_noise_critical from {{ ref('score_drift') }}
where psi < -1e-12 or (n_ref > 0 and n_cur > 0 and psi is null)
union all
select feature, psi, psi_noise_expected, psi_noise_critical from {{ ref('feature_drift') }}
where psi < -1e-12 or (n_ref > 0 and n_cur > 0 and psi is null)
