-- One row per contact with a known outcome: the same 47 features computed from data
-- strictly before contacted_at, and the label.
select
    f.contact_id,
    f.lead_id,
    f.feature_as_of
    {%- for feature in leadscore.feature_columns(ref('int_lead_feature_values'), ['purpose', 'lead_id', 'contact_id', 'feature_as_of']) %},
    f.{{ feature }}
    {%- endfor %},
    o.responded
from {{ ref('int_lead_feature_values') }} as f
inner join {{ ref('stg_outreach') }} as o on o.contact_id = f.contact_id
where f.purpose = 'training'
