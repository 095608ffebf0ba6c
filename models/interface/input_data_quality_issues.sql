-- One row per problem found in the raw files: a rejected row (action row_rejected), a bad
-- value set to NULL in a row that is still used (action value_set_to_null), or an opt-out
-- that names no accepted lead (action not_applied); see the macro
-- leadscore.data_quality_issues_of.
{{ leadscore.data_quality_issues_of([
    (ref('stg_leads_checked'), 'lead_id'),
    (ref('stg_activities_checked'), 'activity_id'),
    (ref('stg_outreach_checked'), 'contact_id'),
    (ref('stg_do_not_contact_checked'), 'coalesce(lead_id, email)'),
]) }}
