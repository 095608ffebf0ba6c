{#- precision / base_rate; NULL when either is NULL or the base rate is not positive. -#}
{% macro lift(precision, base_rate) -%}
  case when ({{ base_rate }}) > 0 then cast({{ precision }} as {{ leadscore.type_double() }}) / ({{ base_rate }}) end
{%- endmacro %}
