-- Fails the build for an opt-out list (a raw file with data_quality_issues action not_applied)
-- more than var max_not_applied_share of whose rows do nothing: rows naming no accepted lead
-- (not_applied) and rows naming nobody (row_rejected) together. Such a list is usually written
-- in another id scheme (l00000381, 381 for L00000381), and then everyone on it who is a lead
-- would be contacted. Its rows and reasons are in data_quality_issues. A list that legitimately
-- names people who are not leads (a company-wide suppression list) sets the var higher (1 turns
-- the check off).
{%- set limit = leadscore.checked_var('max_not_applied_share') %}
with not_applied as (
    select source_file, count(*) as not_applied_rows
    from {{ ref('data_quality_issues') }}
    where action = 'not_applied'
    group by source_file
)

select
    s.raw_file,
    s.source_file,
    s.input_rows,
    s.rejected_rows,
    n.not_applied_rows,
    round(cast(s.rejected_rows + n.not_applied_rows as {{ leadscore.type_double() }}) / s.input_rows, 3)
        as share_doing_nothing,
    {{ limit }} as max_not_applied_share
from {{ ref('data_quality_summary') }} as s
inner join not_applied as n
    on s.source_file = n.source_file
where s.rejected_rows + n.not_applied_rows > {{ limit }} * s.input_rows
