{#- leadscore.ordered_listagg(measure, delimiter_text, order_by_clause): dbt.listagg, except on Spark, whose
    dbt-spark listagg drops the order (collect_list order is undefined); Spark 4 has an ordered
    LISTAGG ... WITHIN GROUP. -#}
{% macro ordered_listagg(measure, delimiter_text, order_by_clause) -%}
  {{ return(adapter.dispatch('ordered_listagg', 'leadscore')(measure, delimiter_text, order_by_clause)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter_text, order_by_clause) -%}
  {{ dbt.listagg(measure, delimiter_text, order_by_clause) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter_text, order_by_clause) -%}
  listagg({{ measure }}, {{ delimiter_text }}) within group ({{ order_by_clause }})
{%- endmacro %}
