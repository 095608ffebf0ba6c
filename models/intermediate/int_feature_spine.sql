-- The moments features are computed for: one row per lead at the scoring as-of
-- (purpose 'scoring'), and one row per contact with a known outcome at its contact time
-- (purpose 'training'). Both go through the same feature SQL, so training and scoring
-- cannot drift apart.
select
    lead_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,
    {{ scoring_as_of() }} as feature_as_of,
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
