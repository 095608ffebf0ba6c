-- Per raw file: rows read, rows accepted into staging, rows rejected and values set to
-- NULL, each counted from a different model (see leadscore.data_quality_summary_of), so
-- the data test "input_rows = accepted_rows + rejected_rows" really checks that no row was lost.
-- The file read is named even when it holds no row (leadscore.raw_file_path).
{{ leadscore.data_quality_summary_of([
    ('leads', ref('stg_leads_checked'), ref('stg_leads'), leadscore.raw_file_path('leads')),
    ('activities', ref('stg_activities_checked'), ref('stg_activities'), leadscore.raw_file_path('activities')),
    ('outreach', ref('stg_outreach_checked'), ref('stg_outreach'), leadscore.raw_file_path('outreach')),
    ('do_not_contact', ref('stg_do_not_contact_checked'), none, leadscore.raw_file_path('do_not_contact')),
]) }}
