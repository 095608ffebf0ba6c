{#- The rollout gate, one rule for phase 2 and for every campaign (the guide's): with fewer than
    `min_outcomes` known outcomes 'too few outcomes'; otherwise the observed precision decides:
    >= proceed 'proceed', >= recalibrate 'recalibrate', else 'stop'. -#}
{% macro gate_decision(precision, known, min_outcomes, proceed, recalibrate) -%}
  (case
    when coalesce({{ known }}, 0) < {{ min_outcomes }} or ({{ precision }}) is null then 'too few outcomes'
    when ({{ precision }}) >= ({{ proceed }}) then 'proceed'
    when ({{ precision }}) >= ({{ recalibrate }}) then 'recalibrate'
    else 'stop'
  end)
{%- endmacro %}

{#- Whether the gate decision is already clear beyond sampling noise: the precision's 95%
    interval lies inside the decided band ('clear'), or still reaches into another ('uncertain').
    NULL when no decision was taken. -#}
{% macro gate_certainty(decision, ci_low, ci_high, proceed, recalibrate) -%}
  (case
    when {{ decision }} = 'proceed' then case when ({{ ci_low }}) >= ({{ proceed }}) then 'clear' else 'uncertain' end
    when {{ decision }} = 'recalibrate' then
      case when ({{ ci_low }}) >= ({{ recalibrate }}) and ({{ ci_high }}) < ({{ proceed }}) then 'clear' else 'uncertain' end
    when {{ decision }} = 'stop' then case when ({{ ci_high }}) < ({{ recalibrate }}) then 'clear' else 'uncertain' end
  end)
{%- endmacro %}
