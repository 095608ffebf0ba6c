{#- Fails for every row with a feature (a column documented with meta.family in
    features.yml) below 0, or above its documented meta.max. Every feature is a count,
    rank, flag, share, log1p or day difference, so none can be negative. NULL (missing)
    is allowed. -#}
{% test features_in_range(model) %}
{%- set checks = [] -%}
{%- if execute -%}
  {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                 | selectattr('name', 'equalto', model.identifier) | first -%}
  {%- for name, column in node.columns.items() if column.meta.get('family') -%}
    {%- do checks.append(name ~ " < 0") -%}
    {%- if column.meta.get('max') is not none -%}{%- do checks.append(name ~ " > " ~ column.meta['max']) -%}{%- endif -%}
  {%- endfor -%}
{%- endif %}
select *
from {{ model }}
where {{ checks | join('\n   or ') if checks else '1 = 0' }}
{% endtest %}
