{#- Fails for every raw file that lost more than var max_rejected_share (default 0.2) of its
    rows to rejection: a broken export (wrong file, shifted columns, another id scheme) should
    stop the build, not quietly score a fraction of the leads. The rejected rows and their
    reasons are in data_quality_issues either way. The do-not-contact list is exempt: it may
    name people who are not (yet) leads; its unmatched rows are reported all the same. -#}
{% test rejected_share_within_limit(model) %}
{%- set raw = var('max_rejected_share') | string | trim -%}
{%- if not modules.re.fullmatch('[0-9]*\.?[0-9]+', raw) or raw | float > 1 -%}
  {{ exceptions.raise_compiler_error("var max_rejected_share must be a number between 0 and 1, got: " ~ raw) }}
{%- endif %}
select raw_file, source_file, input_rows, rejected_rows,
       cast(rejected_rows as {{ leadscore.type_double() }}) / input_rows as rejected_share,
       {{ raw | float }} as max_rejected_share
from {{ model }}
where input_rows > 0
  and raw_file <> 'do_not_contact'
  and cast(rejected_rows as {{ leadscore.type_double() }}) / input_rows > {{ raw | float }}
{% endtest %}
