-- One row per problem found in the raw files: a rejected row (action row_rejected) or a
-- bad value set to NULL in a row that is still used (action value_set_to_null); see the
-- macro data_quality_issue_rows.
{%- set checked = [
    ('stg_leads_checked', 'lead_id'),
    ('stg_activities_checked', 'activity_id'),
    ('stg_outreach_checked', 'contact_id'),
    ('stg_do_not_contact_checked', 'lead_id'),
] %}
{%- for model_name, key in checked %}
{{ leadscore.data_quality_issue_rows(ref(model_name), key) }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
