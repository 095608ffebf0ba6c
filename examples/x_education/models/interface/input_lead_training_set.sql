-- One row per historical contact with a known outcome: the same features and the label.
{{ leadscore.training_feature_rows(ref('xed_lead_feature_values'), ref('input_outreach')) }}
