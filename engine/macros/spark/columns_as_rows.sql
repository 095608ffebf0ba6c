{#- spark__columns_as_rows(relation, columns): the long form of default__columns_as_rows in one
    scan (stack() emits one row per column), instead of a UNION ALL of one select per column:
    psi() reads the long form several times, and Spark inlines each read, so 47 unions per read
    made a plan that ran the driver out of memory (feature_drift). -#}
{% macro spark__columns_as_rows(relation, columns) -%}
  {%- if not columns -%}
    {{ return(leadscore.default__columns_as_rows(relation, columns)) }}
  {%- endif %}
    select stack({{ columns | length }}
    {%- for f in columns %},
      '{{ f }}', cast({{ adapter.quote(f) }} as {{ leadscore.type_double() }})
    {%- endfor %}
    ) as (feature, value)
    from {{ relation }}
{%- endmacro %}
