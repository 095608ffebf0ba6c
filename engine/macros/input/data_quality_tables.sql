{#-
  The two data-quality interface models of an input project, from its staging "checked" models
  (one per raw file: every row read, typed, with reject_reason / reject_column / reject_value and
  the <column>__issue / __unknown columns of the typed-check helpers, see clean_values.sql and
  category_columns.sql).

  input_data_quality_issues:
    leadscore.data_quality_issues_of([(ref('stg_leads_checked'), 'lead_id'), ...])
      (checked model, its key column) per raw file.
  input_data_quality_summary:
    leadscore.data_quality_summary_of([('leads', ref('stg_leads_checked'), ref('stg_leads')), ...])
      (raw file name, checked model, accepted model or none[, path of the file read]) per raw
      file; without the path, source_file is the one the checked rows name (NULL for a file
      without rows). Rows read are counted
      from the checked model, rows accepted from the accepted model (none: the checked rows
      without reject_reason), rejected rows and values set to NULL from input_data_quality_issues,
      so the data test "input = accepted + rejected" compares three different models.
-#}

{#- What each issue-column suffix means (the action of its data_quality_issues rows). -#}
{% macro issue_column_actions() -%}
  {{ return({'__issue': 'value_set_to_null', '__unknown': 'value_mapped_to_other',
             '__not_applied': 'not_applied'}) }}
{%- endmacro %}

{% macro data_quality_issues_of(checked_models) -%}
  {%- for checked, key in checked_models %}
{{ leadscore.data_quality_issue_rows(checked, key, leadscore.issue_column_actions()) }}
{% if not loop.last %}union all{% endif %}
  {%- endfor %}
{%- endmacro %}

{% macro data_quality_summary_of(files) -%}
  {%- set issues = leadscore.input_ref('data_quality_issues') -%}
  {%- for entry in files %}
  {%- set raw_file, checked, accepted = entry[0], entry[1], entry[2] %}
  {%- set path = entry[3] if entry | length > 3 else none %}
  {%- set source_file = leadscore.sql_text(path) if path else '(select max(source_file) from ' ~ checked ~ ')' %}
select
    '{{ raw_file }}' as raw_file,
    {{ source_file }} as source_file,
    (select count(*) from {{ checked }}) as input_rows,
    {%- if accepted is not none %}
    (select count(*) from {{ accepted }}) as accepted_rows,
    {%- else %}
    (select count(*) from {{ checked }} where reject_reason is null) as accepted_rows,
    {%- endif %}
    {%- for action, column in [('row_rejected', 'rejected_rows'), ('value_set_to_null', 'values_set_to_null')] %}
    (select count(*) from {{ issues }} as i
      where i.action = '{{ action }}'
        and i.source_file = {{ source_file }}) as {{ column }}
    {{- "," if not loop.last }}
    {%- endfor %}
{% if not loop.last %}union all{% endif %}
  {%- endfor %}
{%- endmacro %}

{#- Per (source_file, column_name): the data_quality_issues rows of one action, and the
    commonest of their raw values (as `value_expr` reads it; ties by value) with its rows. For
    the data tests that judge a column by the share of its rows with such an issue. -#}
{% macro issue_counts_by_column(action, value_expr='raw_value') -%}
select
    source_file,
    column_name,
    sum(value_rows) as issue_rows,
    max(case when value_rank = 1 then raw_value end) as most_common_value,
    max(case when value_rank = 1 then value_rows end) as most_common_value_rows
from (
    select
        *,
        row_number() over (
            partition by source_file, column_name order by value_rows desc, raw_value asc
        ) as value_rank
    from (
        select
            source_file,
            column_name,
            {{ value_expr }} as raw_value,
            count(*) as value_rows
        from {{ ref('data_quality_issues') }}
        where action = '{{ action }}'
        group by source_file, column_name, {{ value_expr }}
    ) as value_counts
) as ranked
group by source_file, column_name
{%- endmacro %}
