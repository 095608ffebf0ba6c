-- One row per contact with a known outcome: contact_id, lead_id, feature_as_of, the same
-- features as lead_features (checked), and the label responded.
{%- do leadscore.checked_features('lead_training_set') %}
select * from {{ leadscore.input_ref('lead_training_set') }}
