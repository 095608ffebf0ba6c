{#- Contacts needed in EACH arm to detect a response rate of base_rate * lift against base_rate
    with a two-sided two-proportion z-test (Fleiss, without continuity correction):
    n = (z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_{power} sqrt(p0 (1 - p0) + p1 (1 - p1)))^2 / (p1 - p0)^2,
    p0 = base_rate, p1 = base_rate * lift, pbar = (p0 + p1) / 2, rounded up.
    NULL when p0 or p1 is outside (0, 1) or lift = 1. -#}
{% macro sample_size_per_arm(base_rate, lift, alpha=0.05, power=0.8) -%}
  {%- set p0 = "cast(" ~ base_rate ~ " as " ~ leadscore.type_double() ~ ")" -%}
  {%- set p1 = "(cast(" ~ base_rate ~ " as " ~ leadscore.type_double() ~ ") * (" ~ lift ~ "))" -%}
  {%- set pbar = "((" ~ p0 ~ " + " ~ p1 ~ ") / 2)" -%}
  {%- set za = leadscore.normal_quantile("1 - cast(" ~ alpha ~ " as " ~ leadscore.type_double() ~ ") / 2") -%}
  {%- set zb = leadscore.normal_quantile(power) -%}
  (case when {{ p0 }} > 0 and {{ p0 }} < 1 and {{ p1 }} > 0 and {{ p1 }} < 1 and {{ p1 }} <> {{ p0 }} then
    cast(ceiling(
      ({{ za }} * sqrt(2 * {{ pbar }} * (1 - {{ pbar }}))
       + {{ zb }} * sqrt({{ p0 }} * (1 - {{ p0 }}) + {{ p1 }} * (1 - {{ p1 }})))
      * ({{ za }} * sqrt(2 * {{ pbar }} * (1 - {{ pbar }}))
       + {{ zb }} * sqrt({{ p0 }} * (1 - {{ p0 }}) + {{ p1 }} * (1 - {{ p1 }})))
      / (({{ p1 }} - {{ p0 }}) * ({{ p1 }} - {{ p0 }}))) as {{ dbt.type_bigint() }})
  end)
{%- endmacro %}
