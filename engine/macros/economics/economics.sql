{#-
  The economics of a contact list: cost per contact and value per response (vars
  cost_per_contact and value_per_response, validated by economics_vars()) against the expected
  responses of the list (the sum of its calibrated probabilities, with the Poisson-binomial
  interval of expected_count_low / expected_count_high).
    cost            = K * cost_per_contact
    expected_value  = value_per_response * expected_responses
    expected_profit = expected_value - cost   (profit_low / profit_high at the response interval)
    roi             = expected_profit / cost  (NULL when cost is 0)
  With either var unset, every money column is NULL and economics_status says 'set cost and
  value': the product never invents prices.
-#}

{#- (cost, value): the validated vars, each a number >= 0 or none when unset. -#}
{% macro economics_vars() -%}
  {{ return((leadscore.checked_var('cost_per_contact'),
             leadscore.checked_var('value_per_response'))) }}
{%- endmacro %}

{#- 'ok' when both vars are set, else 'set cost and value' (a SQL literal). -#}
{% macro economics_status(cost, value) -%}
  {%- if cost is none or value is none -%}'set cost and value'{%- else -%}'ok'{%- endif -%}
{%- endmacro %}

{#- The money columns of a list of `n` contacts with `expected` responses (interval low, high). -#}
{% macro economics_columns(n, expected, low, high, cost, value) -%}
  {%- set dbl = leadscore.type_double() -%}
  {%- if cost is none or value is none -%}
    cast(null as {{ dbl }}) as cost, cast(null as {{ dbl }}) as expected_value,
    cast(null as {{ dbl }}) as expected_profit, cast(null as {{ dbl }}) as profit_low,
    cast(null as {{ dbl }}) as profit_high, cast(null as {{ dbl }}) as roi
  {%- else -%}
    cast({{ cost }} as {{ dbl }}) * ({{ n }}) as cost,
    cast({{ value }} as {{ dbl }}) * ({{ expected }}) as expected_value,
    cast({{ value }} as {{ dbl }}) * ({{ expected }}) - cast({{ cost }} as {{ dbl }}) * ({{ n }}) as expected_profit,
    cast({{ value }} as {{ dbl }}) * ({{ low }}) - cast({{ cost }} as {{ dbl }}) * ({{ n }}) as profit_low,
    cast({{ value }} as {{ dbl }}) * ({{ high }}) - cast({{ cost }} as {{ dbl }}) * ({{ n }}) as profit_high,
    case when cast({{ cost }} as {{ dbl }}) * ({{ n }}) > 0
         then (cast({{ value }} as {{ dbl }}) * ({{ expected }}) - cast({{ cost }} as {{ dbl }}) * ({{ n }}))
              / (cast({{ cost }} as {{ dbl }}) * ({{ n }})) end as roi
  {%- endif -%}
{%- endmacro %}

{#- A full select: contacting the first K rows of `relation` in `order_by` order, for every K.
    One row per K: k, score (the K-th row's `score`: "score >= it" selects the list),
    probability (the K-th row's response probability), expected_responses (sum of the first K
    probabilities), responses_variance (sum of p (1 - p); with card_calibration, plus the
    model card's calibration uncertainty: see calibration_variance), responses_low /
    responses_high, and economics_columns. -#}
{% macro profit_curve(relation, score, probability, order_by, cost, value, card_calibration=false) -%}
  {%- set cumulative = 'over (order by k rows between unbounded preceding and current row)' -%}
  with pc_rows as (
    select {{ score }} as score, {{ probability }} as probability,
      row_number() over (order by {{ order_by }}) as k
      {%- if card_calibration %},
      {{ leadscore.calibration_gradient_a(probability, 'card') }} as gradient_a_row
      {%- endif %}
    from {{ relation }}
    {%- if card_calibration %}
    cross join {{ ref('model_card') }} as card
    {%- endif %}
  ),
  pc_sums as (
    select k, score, probability,
      sum(probability) {{ cumulative }} as expected_responses,
      sum(probability * (1 - probability)) {{ cumulative }} as outcome_variance
      {%- if card_calibration %},
      sum(gradient_a_row) {{ cumulative }} as gradient_a
      {%- endif %}
    from pc_rows
  ),
  pc_cumulative as (
    select k, score, probability, expected_responses,
      outcome_variance
      {%- if card_calibration %} + {{ leadscore.calibration_variance('gradient_a', 'outcome_variance', 'card') }}{% endif %}
        as responses_variance
    from pc_sums
    {%- if card_calibration %}
    cross join {{ ref('model_card') }} as card
    {%- endif %}
  ),
  pc_interval as (
    select k, score, probability, expected_responses, responses_variance,
      {{ leadscore.expected_count_low('expected_responses', 'responses_variance') }} as responses_low,
      {{ leadscore.expected_count_high('expected_responses', 'responses_variance', 'k') }} as responses_high
    from pc_cumulative
  )
  select k, score, probability, expected_responses, responses_variance, responses_low, responses_high,
    {{ leadscore.economics_columns('k', 'expected_responses', 'responses_low', 'responses_high', cost, value) }}
  from pc_interval
{%- endmacro %}

{#- A full select of one row (none when `curve` has no expected_profit): the profit-maximising
    K of a profit_curve and its interval.
      best_k       K with the highest expected_profit (smallest K on ties); 0 = contact nobody,
                   when no K has a positive expected profit
      profit_noise z * value_per_response * sqrt(responses_variance at best_k): the 95% noise of
                   the best list's profit (the spread of its response count, in money)
      best_k_low / best_k_high  the smallest / largest K (0 counts: contacting nobody earns 0)
                   whose expected profit is within profit_noise of the maximum: list sizes the
                   data cannot tell apart from the best. The curve is concave (scores are sorted),
                   so these K form one range. -#}
{% macro profit_optimum(curve, value, z=none) -%}
  {%- set z = z if z is not none else leadscore.z95() -%}
  {%- set value = 0 if value is none else value -%}  {#- unset: expected_profit is NULL, no row #}
  with po_ranked as (
    select k, score, expected_profit, responses_variance,
      row_number() over (order by expected_profit desc, k) as pick
    from {{ curve }}
    where expected_profit is not null
  ),
  po_best as (
    select
      case when expected_profit > 0 then k else 0 end as best_k,
      case when expected_profit > 0 then expected_profit else 0 end as best_profit,
      case when expected_profit > 0 then {{ z }} * cast({{ value }} as {{ leadscore.type_double() }}) * sqrt(responses_variance)
           else 0 end as profit_noise
    from po_ranked where pick = 1
  ),
  po_range as (
    select min(c.k) as k_min, max(c.k) as k_max
    from {{ curve }} c cross join po_best b
    where c.expected_profit >= b.best_profit - b.profit_noise
  )
  select b.best_k, b.best_profit, b.profit_noise,
    case when b.best_profit - b.profit_noise <= 0 then 0 else r.k_min end as best_k_low,
    coalesce(r.k_max, 0) as best_k_high
  from po_best b cross join po_range r
{%- endmacro %}
