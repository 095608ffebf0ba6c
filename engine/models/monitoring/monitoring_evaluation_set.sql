-- Every row an evaluation is computed on, one per (evaluated_set, contact):
--   'cross_validation': the artifact's out-of-fold predictions (score = calibrated OOF score);
--   one set per campaign (evaluated_set = campaign_id): contacts of every arm with a known
--   outcome AND a score at contact time (see monitoring_contacts). Contacts without such a
--   score are left out; campaign_performance counts them (scored_outcomes).
select
    'cross_validation' as evaluated_set,
    'cross_validation' as set_type,
    cast(null as {{ dbt.type_string() }}) as campaign_id,
    lead_id, contact_id, score, label
from {{ ref('model_oof_predictions') }}
union all
select
    campaign_id as evaluated_set,
    'campaign' as set_type,
    campaign_id,
    lead_id, contact_id, score_at_contact as score, label
from {{ ref('monitoring_contacts') }}
where label is not null and score_at_contact is not null
