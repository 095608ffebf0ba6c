-- Fails the build for a column of a raw file more than var max_rejected_share of whose rows hold
-- a value that could not be read (data_quality_issues action value_set_to_null: the row is kept,
-- the value is NULL). So many are an export that changed, not dirt: dates in another format or
-- locale, numbers with another decimal mark. The features built on the column would be NULL for
-- those leads and their scores wrong, so nothing is published. Names the most common such value.
{%- set limit = leadscore.checked_var('max_rejected_share') %}
with unreadable as (
    {{ leadscore.issue_counts_by_column('value_set_to_null') }}
)

select
    s.raw_file,
    s.source_file,
    u.column_name,
    s.input_rows,
    u.issue_rows as values_set_to_null,
    u.most_common_value,
    cast({{ limit }} as {{ leadscore.type_double() }}) as max_rejected_share
from {{ ref('data_quality_summary') }} as s
inner join unreadable as u
    on s.source_file = u.source_file
where u.issue_rows > {{ limit }} * s.input_rows
