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

{#- Generic data test: a model without a single row fails. On the interface model leads: an
    export without one usable lead is a broken export, and must not publish an empty scoring
    and an empty outreach list; on lead_scores: nor may an as_of before the first lead. -#}
{% test has_rows(model) %}
select 'no rows' as problem
where not exists (select 1 from {{ model }})
{% endtest %}
