-- Fails the build for a model feature that is NULL for every lead scored today where training
-- makes that improbable: fewer than one in a million by chance, given the share of training
-- rows it was NULL in (all NULL when it never was). Usually a column lost in the input project
-- (a renamed raw column, dates exported in another format, a join on the wrong key): XGBoost
-- then sends every lead down the feature's missing branch, and the scores are wrong - they
-- lose what the feature knew - so nothing is published. A rate that is often NULL (a click rate
-- of leads without opens) on a few leads (a backfill) passes. Fix the input or retrain without
-- the feature. feature_drift shows a lost column as major drift too.
select
    feature,
    n_cur as leads_scored,
    n_ref as training_rows,
    n_ref - ref_count as training_rows_with_a_value
from {{ ref('feature_drift_bins') }}
where bin = 0
  and n_cur > 0
  and cur_count = n_cur
  and ref_count < n_ref
  and (ref_count = 0 or n_cur * ln(cast(ref_count as {{ type_double() }}) / n_ref) < ln(1e-6))
