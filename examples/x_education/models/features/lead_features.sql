-- Scoring input (interface name of the main project): every lead, its features, and the
-- scoring as-of (var as_of, default var xed_default_as_of). The file is one static snapshot, so
-- the values do not depend on the as-of; leads that were trained on are scored in-sample.
-- depends_on: {{ ref('xed_lead_feature_values') }}
select
    f.lead_id,
    {{ xed_scoring_as_of() }} as feature_as_of
    {%- for feature in xed_feature_columns() %},
    f.{{ feature }}
    {%- endfor %}
from {{ ref('xed_lead_feature_values') }} as f
