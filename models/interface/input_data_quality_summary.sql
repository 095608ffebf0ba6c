-- Per raw file: rows read, rows accepted into staging, rows rejected and values set to
-- NULL, each counted from a different model, so the data test
-- "input_rows = accepted_rows + rejected_rows" really checks that no row was lost.
{%- set files = [
    ('leads', 'stg_leads_checked', 'stg_leads'),
    ('activities', 'stg_activities_checked', 'stg_activities'),
    ('outreach', 'stg_outreach_checked', 'stg_outreach'),
    ('do_not_contact', 'stg_do_not_contact_checked', none),
] %}
{%- for name, checked_model, accepted_model in files %}
{#- the file read (also when it has no rows); on adapters reading tables, what staging saw -#}
{%- set path = leadscore.raw_file_path(name) %}
{%- set source_file = leadscore.sql_text(path) if path else '(select max(source_file) from ' ~ ref(checked_model) ~ ')' %}
select
    '{{ name }}' as raw_file,
    {{ source_file }} as source_file,
    (select count(*) from {{ ref(checked_model) }}) as input_rows,
    {%- if accepted_model %}
    (select count(*) from {{ ref(accepted_model) }}) as accepted_rows,
    {%- else %}
    (select count(*) from {{ ref(checked_model) }} where reject_reason is null) as accepted_rows,
    {%- endif %}
    (select count(*) from {{ ref('data_quality_issues') }} as i
      where i.action = 'row_rejected'
        and i.source_file = {{ source_file }}) as rejected_rows,
    (select count(*) from {{ ref('data_quality_issues') }} as i
      where i.action = 'value_set_to_null'
        and i.source_file = {{ source_file }}) as values_set_to_null
{% if not loop.last %}union all{% endif %}
{%- endfor %}
