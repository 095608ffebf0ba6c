{#- Drift status of a PSI value: alarms only when the PSI exceeds BOTH the band
    (0.1 moderate, 0.25 major) and the sampling-noise level `noise` (psi_noise_critical).
    'no data' when psi is NULL; 'within sampling noise' when above 0.1 but not above noise. -#}
{% macro psi_status(psi, noise, moderate=0.1, major=0.25) -%}
  (case
    when ({{ psi }}) is null then 'no data'
    when ({{ psi }}) > {{ major }} and ({{ psi }}) > ({{ noise }}) then 'major drift'
    when ({{ psi }}) > {{ moderate }} and ({{ psi }}) > ({{ noise }}) then 'moderate drift'
    when ({{ psi }}) > {{ moderate }} then 'within sampling noise'
    else 'stable'
  end)
{%- endmacro %}
