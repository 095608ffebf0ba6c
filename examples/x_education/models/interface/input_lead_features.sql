-- One row per lead to score: lead_id, feature_as_of (var as_of) and the features.
{{ leadscore.scoring_feature_rows(ref('xed_lead_feature_values')) }}
