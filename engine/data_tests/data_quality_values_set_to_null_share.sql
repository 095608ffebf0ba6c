-- Fails the build for a column of a raw file more than var max_rejected_share of whose rows hold
-- a value that could not be read (data_quality_issues action value_set_to_null: the row is kept,
-- the value is NULL). So many are an export that changed, not dirt: dates in another format or
-- locale, numbers with another decimal mark. The features built on the column would be NULL for
-- those leads and their scores wrong, so nothing is published. Names the most common such value.
{%- set limit = leadscore.checked_var('max_rejected_share') %}
with value_counts as (
    select
        source_file,
        column_name,
        raw_value,
        count(*) as value_rows
    from {{ ref('data_quality_issues') }}
    where action = 'value_set_to_null'
    group by source_file, column_name, raw_value
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_file, column_name order by value_rows desc, raw_value asc
        ) as value_rank
    from value_counts
),

unreadable as (
    select
        source_file,
        column_name,
        sum(value_rows) as null_rows,
        max(case when value_rank = 1 then raw_value end) as most_common_value
    from ranked
    group by source_file, column_name
)

select
    s.raw_file,
    s.source_file,
    u.column_name,
    s.input_rows,
    u.null_rows as values_set_to_null,
    u.most_common_value,
    cast({{ limit }} as {{ leadscore.type_double() }}) as max_rejected_share
from {{ ref('data_quality_summary') }} as s
inner join unreadable as u
    on s.source_file = u.source_file
where u.null_rows > {{ limit }} * s.input_rows
