{#- Pooled two-proportion z statistic: (x1/n1 - x2/n2) / sqrt(p(1-p)(1/n1 + 1/n2)),
    p = (x1 + x2) / (n1 + n2). NULL when an arm is empty or the pooled variance is 0. -#}
{% macro two_proportion_z(x1, n1, x2, n2) -%}
  {%- set pooled = "(cast((" ~ x1 ~ ") + (" ~ x2 ~ ") as " ~ leadscore.type_double() ~ ") / ((" ~ n1 ~ ") + (" ~ n2 ~ ")))" -%}
  case when ({{ n1 }}) > 0 and ({{ n2 }}) > 0
        and {{ pooled }} > 0 and {{ pooled }} < 1 then
    (cast({{ x1 }} as {{ leadscore.type_double() }}) / ({{ n1 }}) - cast({{ x2 }} as {{ leadscore.type_double() }}) / ({{ n2 }}))
    / sqrt({{ pooled }} * (1 - {{ pooled }}) * (cast(1 as {{ leadscore.type_double() }}) / ({{ n1 }}) + cast(1 as {{ leadscore.type_double() }}) / ({{ n2 }})))
  end
{%- endmacro %}
