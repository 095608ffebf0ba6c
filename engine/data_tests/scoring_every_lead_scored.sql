-- lead_scores and lead_features hold the same leads: every lead is scored, no score without a lead.
-- lead_features is addressed next to lead_scores rather than through ref(), so this test hangs
-- only off lead_scores and is not pulled into builds that select just the feature models.
{%- set scores = ref('lead_scores') %}
{%- set features = api.Relation.create(database=scores.database, schema=scores.schema,
                                       identifier='lead_features') %}
-- depends_on: {{ ref('lead_scores') }}
select
    coalesce(f.lead_id, s.lead_id) as lead_id,
    case when s.lead_id is null then 'not scored' else 'scored but not in lead_features' end as problem
from {{ features }} as f
full outer join {{ scores }} as s
    on f.lead_id = s.lead_id
where f.lead_id is null or s.lead_id is null
