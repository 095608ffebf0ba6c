{#- The grid bucket of a value on the grid 0, 1/steps, 2/steps, ...: the largest whole i with
    i / steps <= value (so "value >= i / steps" holds exactly as the threshold grids compare it;
    floor(value * steps) alone can be one off at an edge through floating-point rounding). -#}
{% macro grid_bucket(value, steps) -%}
  (case
    when ({{ value }}) >= cast(floor(({{ value }}) * {{ steps }}) + 1 as {{ leadscore.type_double() }}) / {{ steps }}
      then cast(floor(({{ value }}) * {{ steps }}) as integer) + 1
    when ({{ value }}) < cast(floor(({{ value }}) * {{ steps }}) as {{ leadscore.type_double() }}) / {{ steps }}
      then cast(floor(({{ value }}) * {{ steps }}) as integer) - 1
    else cast(floor(({{ value }}) * {{ steps }}) as integer)
  end)
{%- endmacro %}
