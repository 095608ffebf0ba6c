{#- Two-sided normal p-value 2 * (1 - Phi(|z|)) = erfc(|z| / sqrt(2)), with the
    Abramowitz & Stegun 7.1.26 approximation erfc(x) ~ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2),
    t = 1 / (1 + 0.3275911 x), absolute error <= 1.5e-7. NULL when z is NULL. -#}
{% macro two_sided_p_value(z) -%}
  {%- set x = "(abs(cast(" ~ z ~ " as " ~ leadscore.type_double() ~ ")) / sqrt(cast(2 as " ~ leadscore.type_double() ~ ")))" -%}
  {%- set t = "(cast(1 as " ~ leadscore.type_double() ~ ") / (1 + cast(0.3275911 as " ~ leadscore.type_double() ~ ") * " ~ x ~ "))" -%}
  ({{ t }} * (cast(0.254829592 as {{ leadscore.type_double() }}) + {{ t }} * (cast(-0.284496736 as {{ leadscore.type_double() }})
    + {{ t }} * (cast(1.421413741 as {{ leadscore.type_double() }}) + {{ t }} * (cast(-1.453152027 as {{ leadscore.type_double() }})
    + {{ t }} * cast(1.061405429 as {{ leadscore.type_double() }}))))) * exp(-{{ x }} * {{ x }}))
{%- endmacro %}
