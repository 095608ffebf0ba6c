{#- Lower bound of the Wilson score interval for hits / n (see metrics.yml). -#}
{% macro wilson_low(hits, n, z=none) -%}
  {%- set z = z if z is not none else leadscore.z95() -%}
  {%- set zz = "cast(" ~ z ~ " as " ~ leadscore.type_double() ~ ")" -%}
  {%- set p = "(cast(" ~ hits ~ " as " ~ leadscore.type_double() ~ ") / (" ~ n ~ "))" -%}
  case when ({{ n }}) > 0 then greatest(cast(0 as {{ leadscore.type_double() }}),
    ({{ p }} + {{ zz }} * {{ zz }} / (2 * ({{ n }}))) / (1 + {{ zz }} * {{ zz }} / ({{ n }}))
    - {{ zz }} * sqrt({{ p }} * (1 - {{ p }}) / ({{ n }}) + {{ zz }} * {{ zz }} / (4 * ({{ n }}) * ({{ n }})))
      / (1 + {{ zz }} * {{ zz }} / ({{ n }})))
  end
{%- endmacro %}
