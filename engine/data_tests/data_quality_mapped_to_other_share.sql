-- Warns (the build goes on) for a column of a raw file more than var max_rejected_share of whose
-- rows hold a value the vocabulary seed lacks (data_quality_issues action value_mapped_to_other:
-- the row is kept, the value counts as 'other'). So many usually mean a value missing from the
-- seed, or an export that now spells its values another way: the feature then loses what it
-- knew for those leads, and nothing is rejected. Names the most common such value, its spellings
-- counted together (trimmed, lower case: as the seed is matched).
{{ config(severity='warn') }}
{%- set limit = leadscore.checked_var('max_rejected_share') %}
with mapped as (
    {{ leadscore.issue_counts_by_column('value_mapped_to_other', leadscore.code_value('raw_value')) }}
)

select
    s.raw_file,
    s.source_file,
    m.column_name,
    s.input_rows,
    m.issue_rows as mapped_rows,
    m.most_common_value,
    m.most_common_value_rows,
    cast({{ limit }} as {{ leadscore.type_double() }}) as max_rejected_share
from {{ ref('data_quality_summary') }} as s
inner join mapped as m
    on s.source_file = m.source_file
where m.issue_rows > {{ limit }} * s.input_rows
