{#- PSI expected from sampling noise alone (no drift) with `bins` bins and samples of n_ref and
    n_cur rows: E[PSI] ~ (bins - 1) * (1/n_ref + 1/n_cur) (PSI / (1/n_ref + 1/n_cur) is
    approximately chi-square with bins - 1 degrees of freedom). NULL when a sample is empty. -#}
{% macro psi_noise_expected(bins, n_ref, n_cur) -%}
  (case when ({{ n_ref }}) > 0 and ({{ n_cur }}) > 0 then
    (({{ bins }}) - 1) * (cast(1 as {{ leadscore.type_double() }}) / ({{ n_ref }}) + cast(1 as {{ leadscore.type_double() }}) / ({{ n_cur }}))
  end)
{%- endmacro %}
