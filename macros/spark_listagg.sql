{#- Spark 4: dbt-spark's listagg drops order_by (collect_list order is undefined); Spark 4 has
    an ordered LISTAGG ... WITHIN GROUP. Overrides dbt's spark__listagg (root project wins). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- if limit_num -%}
    {{ exceptions.raise_compiler_error("listagg limit_num is not supported on Spark") }}
  {%- endif -%}
  listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
