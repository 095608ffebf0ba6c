-- One row per outreach contact with its outcome, experiment arm and the score the lead had
-- at contact time: a lead_score_history row whose features describe the lead before the
-- contact (feature_as_of <= contacted_at), from a model trained only on earlier contacts
-- (model_trained_through < contacted_at). Anything else would have seen the response, or been
-- trained on it; such contacts have score_at_contact NULL and are not judged as the model's
-- choices. Of several such rows, the one that chose the lead: the latest score that existed
-- when the contact was made (first_scored_at <= contacted_at: the list in force then, whichever
-- model is deployed later; a re-run that leaves the score as it was does not move it); failing that
-- (contacts scored only afterwards, by a backfill), the latest feature_as_of, then the deployed
-- model's (another model's later build does not take over), then the latest scored_at and
-- model_version.
with card as (
    select trained_through, model_version from {{ ref('model_card') }}
),

contacts as (
    select
        contact_id, lead_id, campaign_id, channel, experiment_group,
        case when experiment_group = 'random' then 'random'
             when experiment_group = 'model' then 'model'
             else 'none' end as arm,
        contacted_at, responded, responded_at
    from {{ ref('outreach') }}
),

history as (
    select
        c.contact_id, h.engagement_score, h.model_version, h.feature_as_of,
        row_number() over (
            partition by c.contact_id
            order by
                case when h.first_scored_at <= c.contacted_at then 0 else 1 end,
                case when h.first_scored_at <= c.contacted_at then h.first_scored_at end desc,
                h.feature_as_of desc,
                case when h.model_version = card.model_version then 0 else 1 end,
                h.scored_at desc,
                h.model_version desc) as pick
    from contacts as c
    cross join card
    inner join {{ ref('lead_score_history') }} as h
      on c.lead_id = h.lead_id
     and c.contacted_at >= h.feature_as_of
     and c.contacted_at > h.model_trained_through
)

select
    c.contact_id, c.lead_id, c.campaign_id, c.channel, c.experiment_group, c.arm,
    c.contacted_at,
    {{ dbt.date_trunc('week', 'c.contacted_at') }} as contact_week,
    c.responded, c.responded_at,
    case when c.responded is null then 'pending'
         when c.responded then 'responded' else 'no_response' end as outcome_status,
    case when c.responded is null then null when c.responded then 1 else 0 end as label,
    h.engagement_score as score_at_contact,
    h.model_version as score_model_version,
    h.feature_as_of as score_feature_as_of,
    coalesce(c.contacted_at > card.trained_through, false) as is_after_training
from contacts as c
cross join card
left join history as h on c.contact_id = h.contact_id and h.pick = 1
