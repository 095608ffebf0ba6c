{#- Fails for every raw file that lost more than var max_rejected_share (default 0.2) of its
    rows to rejection: a broken export (wrong file, shifted columns, another id scheme) should
    stop the build, not quietly score a fraction of the leads - and a do-not-contact list whose
    rows are mostly unusable must not quietly suppress nobody (its rows that merely name no
    current lead are not rejected: they are reported as not_applied). The rejected rows and
    their reasons are in data_quality_issues either way. -#}
{% test rejected_share_within_limit(model) %}
{%- set limit = leadscore.checked_var('max_rejected_share') %}
select raw_file, source_file, input_rows, rejected_rows,
       cast(rejected_rows as {{ leadscore.type_double() }}) / input_rows as rejected_share,
       {{ limit }} as max_rejected_share
from {{ model }}
where input_rows > 0
  and cast(rejected_rows as {{ leadscore.type_double() }}) / input_rows > {{ limit }}
{% endtest %}
