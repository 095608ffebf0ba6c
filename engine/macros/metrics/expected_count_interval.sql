{#- 95% interval of a count of independent events with probabilities p_i (the number of
    responses of a list whose calibrated scores are p_i): normal approximation of the
    Poisson-binomial, sum(p) -/+ z * sqrt(sum(p (1 - p))), clipped to [0, n].
    sum_p = sum(p), sum_pq = sum(p (1 - p)), n = number of events (list size).
    The one place for this rule: the outreach lists, calibration bins and economics use it. -#}
{% macro expected_count_low(sum_p, sum_pq, z=none) -%}
  {%- set z = z if z is not none else leadscore.z95() -%}
  greatest(cast(0 as {{ leadscore.type_double() }}), ({{ sum_p }}) - {{ z }} * sqrt({{ sum_pq }}))
{%- endmacro %}

{% macro expected_count_high(sum_p, sum_pq, n, z=none) -%}
  {%- set z = z if z is not none else leadscore.z95() -%}
  least(cast({{ n }} as {{ leadscore.type_double() }}), ({{ sum_p }}) + {{ z }} * sqrt({{ sum_pq }}))
{%- endmacro %}
