-- The moments features are computed for: one row per lead at the scoring as-of
-- (purpose 'scoring'), and one row per contact with a known outcome at its contact time
-- (purpose 'training'). Both go through the same feature SQL, so training and scoring
-- cannot drift apart. The default scoring as-of follows the latest activity (the newest
-- lead when there is no activity at all).
select
    lead_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,
    {{ leadscore.scoring_as_of(
        "select max(occurred_at) as latest_at from " ~ ref('stg_activities')
        ~ " union all select max(created_at) from " ~ ref('stg_leads')
        ~ " where not exists (select 1 from " ~ ref('stg_activities') ~ ")") }} as feature_as_of,
    'scoring' as purpose
from {{ ref('stg_leads') }}

union all

select
    lead_id,
    contact_id,
    contacted_at as feature_as_of,
    'training' as purpose
from {{ ref('stg_outreach') }}
where responded is not null
