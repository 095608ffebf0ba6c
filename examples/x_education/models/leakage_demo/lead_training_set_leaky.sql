-- LEAKAGE DEMO (built only with --vars '{xed_leakage_demo: true}'): lead_training_set plus
-- sales_stage, an ordinal of the sales team's post-contact Tags (seed xed_tag_sales_stages).
-- `leadscore train --table lead_training_set_leaky` must refuse it (single-feature AUC guard).
{{ config(enabled=var('xed_leakage_demo', false)) }}
-- depends_on: {{ ref('xed_lead_feature_values') }}
select
    t.contact_id,
    t.lead_id,
    t.feature_as_of
    {%- for feature in xed_feature_columns() %},
    t.{{ feature }}
    {%- endfor %},
    s.sales_stage,
    t.responded
from {{ ref('lead_training_set') }} as t
inner join {{ ref('stg_leads') }} as l on l.lead_id = t.lead_id
left join {{ ref('xed_tag_sales_stages') }} as s on s.tag = lower(regexp_replace(l.tags, '\s+', ' ', 'g'))
