-- One row per lead to score: lead_id, feature_as_of and the model features (every other
-- column of the input project's input_lead_features, numeric, checked before use).
{%- do leadscore.checked_features('lead_features') %}
select * from {{ leadscore.input_ref('lead_features') }}
