-- Fails the build for a raw file with rows in data_quality_issues but none in
-- data_quality_summary: the input project reports the file's problems without counting its
-- rows (data_quality_summary_of leaves it out), so the share tests (rejected rows, unreadable
-- values, opt-outs applying to nobody) never judge it.
select
    i.source_file,
    count(*) as issue_rows
from {{ ref('data_quality_issues') }} as i
where i.source_file is not null
  and i.source_file not in (
      select s.source_file from {{ ref('data_quality_summary') }} as s where s.source_file is not null
  )
group by i.source_file
