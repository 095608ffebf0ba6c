-- The moments features are computed for: one row per lead at the scoring as-of
-- (purpose 'scoring'), and one row per contact with a known outcome at its contact time
-- (purpose 'training'). Both go through the same feature SQL, so training and scoring
-- cannot drift apart. The default scoring as-of follows the latest activity (the newest
-- lead when there is no activity at all) and scores every lead; an as_of set in the past (a
-- backfill) scores only the leads created before it (or at an unknown time).
{{ leadscore.feature_spine(ref('stg_leads'), ref('stg_outreach'),
    "select max(occurred_at) as latest_at from " ~ ref('stg_activities')
    ~ " union all select max(created_at) from " ~ ref('stg_leads')
    ~ " where not exists (select 1 from " ~ ref('stg_activities') ~ ")",
    created_at='created_at') }}
