{#- Upper quantile of the PSI under no drift: (1/n_ref + 1/n_cur) * chi2_{bins-1}(quantile), the
    chi-square quantile by Wilson-Hilferty: k (1 - 2/(9k) + z sqrt(2/(9k)))^3, k = bins - 1,
    z = normal quantile (2.3263478740408408 = 99%). 0 when bins <= 1; NULL when a sample is empty. -#}
{% macro psi_noise_critical(bins, n_ref, n_cur, z=2.3263478740408408) -%}
  {%- set k = "cast((" ~ bins ~ ") - 1 as " ~ leadscore.type_double() ~ ")" -%}
  (case when ({{ n_ref }}) > 0 and ({{ n_cur }}) > 0 then
    case when ({{ bins }}) <= 1 then cast(0 as {{ leadscore.type_double() }}) else
    (cast(1 as {{ leadscore.type_double() }}) / ({{ n_ref }}) + cast(1 as {{ leadscore.type_double() }}) / ({{ n_cur }}))
    * {{ k }} * (1 - 2 / (9 * {{ k }}) + cast({{ z }} as {{ leadscore.type_double() }}) * sqrt(2 / (9 * {{ k }})))
              * (1 - 2 / (9 * {{ k }}) + cast({{ z }} as {{ leadscore.type_double() }}) * sqrt(2 / (9 * {{ k }})))
              * (1 - 2 / (9 * {{ k }}) + cast({{ z }} as {{ leadscore.type_double() }}) * sqrt(2 / (9 * {{ k }})))
    end
  end)
{%- endmacro %}
