{#- Inverse standard normal CDF (quantile) of p in (0, 1) by P. J. Acklam's rational
    approximation (relative error < 1.15e-9); NULL outside (0, 1). Only sqrt and ln. -#}
{% macro normal_quantile(p) -%}
  {%- set pp = "cast(" ~ p ~ " as " ~ leadscore.type_double() ~ ")" -%}
  {%- set a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239] -%}
  {%- set b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] -%}
  {%- set c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] -%}
  {%- set d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] -%}
  {%- set ns = namespace(lo_num='', lo_den='', hi_num='', hi_den='', mid_num='', mid_den='') -%}
  {%- set ql = "sqrt(-2 * ln(" ~ pp ~ "))" -%}
  {%- set qh = "sqrt(-2 * ln(1 - " ~ pp ~ "))" -%}
  {%- set q = "(" ~ pp ~ " - 0.5)" -%}
  {%- set r = "(" ~ q ~ " * " ~ q ~ ")" -%}
  {#- Horner forms: (((c1 v + c2) v + c3) ...), built as text. -#}
  {%- for spec in [('lo_num', c, ql), ('lo_den', d + [1], ql), ('hi_num', c, qh), ('hi_den', d + [1], qh), ('mid_num', a, r), ('mid_den', b + [1], r)] -%}
    {%- set ns2 = namespace(expr="cast(" ~ spec[1][0] ~ " as " ~ leadscore.type_double() ~ ")") -%}
    {%- for co in spec[1][1:] -%}{%- set ns2.expr = "(" ~ ns2.expr ~ " * " ~ spec[2] ~ " + cast(" ~ co ~ " as " ~ leadscore.type_double() ~ "))" -%}{%- endfor -%}
    {%- if spec[0] == 'lo_num' -%}{%- set ns.lo_num = ns2.expr -%}{%- elif spec[0] == 'lo_den' -%}{%- set ns.lo_den = ns2.expr -%}
    {%- elif spec[0] == 'hi_num' -%}{%- set ns.hi_num = ns2.expr -%}{%- elif spec[0] == 'hi_den' -%}{%- set ns.hi_den = ns2.expr -%}
    {%- elif spec[0] == 'mid_num' -%}{%- set ns.mid_num = ns2.expr -%}{%- else -%}{%- set ns.mid_den = ns2.expr -%}{%- endif -%}
  {%- endfor -%}
  (case
    when {{ pp }} <= 0 or {{ pp }} >= 1 then null
    when {{ pp }} < 0.02425 then {{ ns.lo_num }} / {{ ns.lo_den }}
    when {{ pp }} > 1 - 0.02425 then -{{ ns.hi_num }} / {{ ns.hi_den }}
    else {{ ns.mid_num }} * {{ q }} / {{ ns.mid_den }}
  end)
{%- endmacro %}
