{#- A number in [0, 1) from the first 8 hex digits of md5(expr) (dbt.hash):
    sum_{i=1..8} hexval(digit_i) * 16^(8 - i) / 16^8. Portable: substring + position only. -#}
{% macro hash_to_unit_interval(expr) -%}
  {%- set h = "lower(" ~ dbt.hash(expr) ~ ")" -%}
  ((
  {%- for i in range(1, 9) %}
    {% if not loop.first %}+ {% endif %}cast({{ dbt.position("substr(" ~ h ~ ", " ~ i ~ ", 1)", "'0123456789abcdef'") }} - 1 as {{ leadscore.type_double() }}) * {{ 16 ** (8 - i) }}
  {%- endfor %}
  ) / cast({{ 16 ** 8 }} as {{ leadscore.type_double() }}))
{%- endmacro %}
