-- One row per lead: the 47 features as of feature_as_of (var as_of), for scoring.
{{ leadscore.scoring_feature_rows(ref('int_lead_feature_values')) }}
