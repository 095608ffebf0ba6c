{#- Generic data test: values outside [0, 1] (NULLs are left to not_null). -#}
{% test scoring_between_0_and_1(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}

{#- Generic data test: rows whose combination of columns is not unique. -#}
{% test scoring_unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
