{#- A portable select of the integers 0..max_value (column i), max_value < 10000 (four digit
    cross joins, no generate_series). -#}
{% macro integer_series(max_value) -%}
  {%- set digits = "select 0 as d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9" -%}
  select i from (
    select d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d as i
    from ({{ digits }}) d1
    cross join ({{ digits }}) d2
    cross join ({{ digits }}) d3
    cross join ({{ digits }}) d4
  ) integer_series_digits
  where i <= {{ max_value }}
{%- endmacro %}
