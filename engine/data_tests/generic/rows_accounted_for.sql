{#- Fails for every raw file whose rows are not all accounted for: input = accepted + rejected. -#}
{% test rows_accounted_for(model) %}
select raw_file, input_rows, accepted_rows, rejected_rows
from {{ model }}
where input_rows <> accepted_rows + rejected_rows
{% endtest %}
