-- LEAKAGE DEMO, never an input of the engine: the training set plus sales_stage, an ordinal of
-- the sales team's post-contact Tags (seed xed_tag_sales_stages), declared (wrongly, on purpose)
-- as known before contact. `leadscore train --table xed_training_set_leaky` must refuse it:
-- alone it predicts the outcome too well (single-feature AUC guard).
select
    t.*,
    s.sales_stage
from {{ ref('input_lead_training_set') }} as t
inner join {{ ref('stg_leads') }} as l on t.lead_id = l.lead_id
-- one tag is spelt with a double space ('Interested  in full time MBA')
left join {{ ref('xed_tag_sales_stages') }} as s
    on s.tag = replace({{ leadscore.code_value('l.tags') }}, '  ', ' ')
