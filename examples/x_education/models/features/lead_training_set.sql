-- Training input (interface name of the main project): one row per historical contact with a
-- known outcome, the same features, feature_as_of = contacted_at and the label responded.
-- depends_on: {{ ref('xed_lead_feature_values') }}
select
    o.contact_id,
    f.lead_id,
    o.contacted_at as feature_as_of
    {%- for feature in xed_feature_columns() %},
    f.{{ feature }}
    {%- endfor %},
    o.responded
from {{ ref('xed_lead_feature_values') }} as f
inner join {{ ref('stg_outreach') }} as o on o.lead_id = f.lead_id
where o.responded is not null
