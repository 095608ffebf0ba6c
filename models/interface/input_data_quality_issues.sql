-- One row per problem found in the raw files: a rejected row (action row_rejected) or a
-- bad value set to NULL in a row that is still used (action value_set_to_null); see the
-- macro leadscore.data_quality_issues_of.
{{ leadscore.data_quality_issues_of([
    (ref('stg_leads_checked'), 'lead_id'),
    (ref('stg_activities_checked'), 'activity_id'),
    (ref('stg_outreach_checked'), 'contact_id'),
    (ref('stg_do_not_contact_checked'), 'lead_id'),
]) }}
