{#- Campaign decision by the model card's gates from an observed precision and its Wilson interval.
    zone(precision): 'continue' (>= proceed), 'recalibrate' (>= recalibrate), else 'stop'.
    The zone is reported only when the interval does not cross a gate boundary by more than
    `margin`: continue needs ci_low >= proceed - margin; recalibrate needs
    ci_low >= recalibrate - margin and ci_high < proceed + margin; stop needs
    ci_high < recalibrate + margin. Otherwise (or with no outcomes) 'not enough outcomes'. -#}
{% macro gate_decision(precision, ci_low, ci_high, proceed, recalibrate, margin) -%}
  (case
    when ({{ precision }}) is null then 'not enough outcomes'
    when ({{ precision }}) >= ({{ proceed }}) then
      case when ({{ ci_low }}) >= ({{ proceed }}) - ({{ margin }}) then 'continue' else 'not enough outcomes' end
    when ({{ precision }}) >= ({{ recalibrate }}) then
      case when ({{ ci_low }}) >= ({{ recalibrate }}) - ({{ margin }})
             and ({{ ci_high }}) < ({{ proceed }}) + ({{ margin }}) then 'recalibrate' else 'not enough outcomes' end
    else
      case when ({{ ci_high }}) < ({{ recalibrate }}) + ({{ margin }}) then 'stop' else 'not enough outcomes' end
  end)
{%- endmacro %}
