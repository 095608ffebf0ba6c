-- Fails the build for a raw file with rows in data_quality_issues but none in
-- data_quality_summary: the input project reports the file's problems without counting its
-- rows (data_quality_summary_of leaves it out), so the share tests (rejected rows, unreadable
-- values, opt-outs applying to nobody) never judge it. A checked model that reads several files
-- needs a summary row per file.
with counted as (
    select source_file
    from {{ ref('data_quality_summary') }}
    where source_file is not null
)

select
    source_file,
    count(*) as issue_rows
from {{ ref('data_quality_issues') }}
where
    source_file is not null
    and source_file not in (select counted.source_file from counted)
group by source_file
