-- One row per lead: the 47 features as of feature_as_of (var as_of), for scoring.
select
    lead_id,
    feature_as_of
    {%- for feature in leadscore.feature_columns(ref('int_lead_feature_values'), ['purpose', 'lead_id', 'contact_id', 'feature_as_of']) %},
    {{ feature }}
    {%- endfor %}
from {{ ref('int_lead_feature_values') }}
where purpose = 'scoring'
