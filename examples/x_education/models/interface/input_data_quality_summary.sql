-- The file's rows read, accepted, rejected and values set to NULL.
{{ leadscore.data_quality_summary_of([('x_education_leads', ref('stg_xed_leads_checked'), ref('stg_leads'))]) }}
