-- Every problem found in the file: rejected rows, bad values set to NULL, answers outside the
-- vocabulary encoded as 'other'.
{{ leadscore.data_quality_issues_of([(ref('stg_xed_leads_checked'), 'lead_id')]) }}
