{#- The two-sided 95% normal quantile, the one z every interval in the engine uses
    (Python: leadscore.metrics.Z95). -#}
{% macro z95() -%}1.959963984540054{%- endmacro %}
