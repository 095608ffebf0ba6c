-- One row per problem found in the raw files: a rejected row (action row_rejected), a bad
-- value set to NULL in a row that is still used (action value_set_to_null), or an opt-out
-- that names no accepted lead (action not_applied); see the macro data_quality_issue_rows.
{%- set values_set_to_null = {'__issue': 'value_set_to_null'} %}
{%- set checked = [
    ('stg_leads_checked', 'lead_id', values_set_to_null),
    ('stg_activities_checked', 'activity_id', values_set_to_null),
    ('stg_outreach_checked', 'contact_id', values_set_to_null),
    ('stg_do_not_contact_checked', 'coalesce(lead_id, email)',
     {'__issue': 'value_set_to_null', '__not_applied': 'not_applied'}),
] %}
{%- for model_name, key, value_actions in checked %}
{{ leadscore.data_quality_issue_rows(ref(model_name), key, value_actions) }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
