{#- The project tie rule as an ORDER BY list: score desc, lead_id asc, contact_id asc. -#}
{% macro tie_rule_order(score='score', lead_id='lead_id', contact_id='contact_id', prefix='') -%}
  {{ prefix }}{{ score }} desc, {{ prefix }}{{ lead_id }} asc, {{ prefix }}{{ contact_id }} asc
{%- endmacro %}
