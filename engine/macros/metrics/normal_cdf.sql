{#- Standard normal CDF Phi(x) = 1 - erfc(x / sqrt 2) / 2 for x >= 0 (mirror for x < 0), erfc by
    Abramowitz & Stegun 7.1.26 (see two_sided_p_value); absolute error <= 7.5e-8. -#}
{% macro normal_cdf(x) -%}
  (case when cast({{ x }} as {{ leadscore.type_double() }}) >= 0
        then 1 - {{ leadscore.two_sided_p_value(x) }} / 2
        else {{ leadscore.two_sided_p_value(x) }} / 2 end)
{%- endmacro %}
