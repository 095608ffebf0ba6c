-- The moments features are computed for: one row per lead at the scoring as-of
-- (purpose 'scoring'), and one row per contact with a known outcome at its contact time
-- (purpose 'training'). Both go through the same feature SQL, so training and scoring
-- cannot drift apart. The default scoring as-of is midnight after the latest event, an
-- activity or a lead's creation, so a default build scores every lead; a lead created at or
-- after an as_of set in the past (a backfill) is not scored then: it did not exist yet.
{{ leadscore.feature_spine(ref('stg_leads'), ref('stg_outreach'),
    "select max(occurred_at) as latest_at from " ~ ref('stg_activities')
    ~ " union all select max(created_at) from " ~ ref('stg_leads'),
    created_at='created_at') }}
