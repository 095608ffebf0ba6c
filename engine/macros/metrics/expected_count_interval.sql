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

{#- The uncertainty of the calibration itself in a sum of calibrated scores p_i =
    sigmoid(a m_i + b) (delta method on the Platt parameters' covariance from the model card):
    variance_factor * g' Cov(a, b) g with g = d sum(p) / d(a, b) = [sum p(1-p) m, sum p(1-p)].
    Without it the Poisson-binomial interval covered realised list responses in only 70-76% of
    simulated campaigns; with it (variance_factor 2) 96% (benchmarks/truth_harness.py).
    gradient_a = sum of calibration_gradient_a(p); gradient_b = sum p (1 - p). -#}
{% macro calibration_variance(gradient_a, gradient_b, card) -%}
  {{ card }}.calibration_variance_factor * (
    {{ card }}.calibration_var_a * ({{ gradient_a }}) * ({{ gradient_a }})
    + 2 * {{ card }}.calibration_cov_ab * ({{ gradient_a }}) * ({{ gradient_b }})
    + {{ card }}.calibration_var_b * ({{ gradient_b }}) * ({{ gradient_b }}))
{%- endmacro %}

{#- One row's d p / d a = p (1 - p) m, its margin m recovered from the calibrated score
    p = sigmoid(a m + b) as (logit(p) - b) / a (0 when p is 0 or 1, where the slope is 0). -#}
{% macro calibration_gradient_a(p, card) -%}
  case when ({{ p }}) > 0 and ({{ p }}) < 1
       then ({{ p }}) * (1 - ({{ p }})) * (ln(({{ p }}) / (1 - ({{ p }}))) - {{ card }}.calibration_b) / {{ card }}.calibration_a
       else 0 end
{%- endmacro %}
