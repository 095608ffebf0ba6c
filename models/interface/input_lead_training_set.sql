-- One row per contact with a known outcome: the same 47 features computed from data
-- strictly before contacted_at, and the label.
{{ leadscore.training_feature_rows(ref('int_lead_feature_values'), ref('stg_outreach')) }}
