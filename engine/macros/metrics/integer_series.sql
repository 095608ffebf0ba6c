{#- A portable select of the integers 0..max_value (column i), max_value < 10^digits (cross
    joins of `digits` ten-row selects, no generate_series). -#}
{% macro integer_series(max_value, digits=4) -%}
  {%- set ten = "select 0 as d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9" -%}
  select i from (
    select {% for n in range(digits) %}{{ 10 ** n }} * d{{ n }}.d{{ ' + ' if not loop.last }}{% endfor %} as i
    from ({{ ten }}) d0
    {%- for n in range(1, digits) %}
    cross join ({{ ten }}) d{{ n }}
    {%- endfor %}
  ) integer_series_digits
  where i <= {{ max_value }}
{%- endmacro %}
