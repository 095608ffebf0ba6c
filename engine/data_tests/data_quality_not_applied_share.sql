-- Warns (the build goes on) for a raw file more than var max_rejected_share of whose rows had no
-- effect (data_quality_issues action not_applied): an opt-out list naming almost no accepted
-- lead is usually written in another id scheme (l00000381, 381 for L00000381) and suppresses
-- nobody it should. Its rows and reasons are in data_quality_issues.
{{ config(severity='warn') }}
{%- set limit = leadscore.checked_var('max_rejected_share') %}
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
    n.not_applied_rows,
    {{ limit }} as max_rejected_share
from {{ ref('data_quality_summary') }} as s
inner join not_applied as n
    on s.source_file = n.source_file
where n.not_applied_rows > {{ limit }} * s.input_rows
