-- Warns (the build goes on) for a model feature that is NULL for every lead scored today where
-- training makes that improbable: fewer than one in a million by chance, given the share of
-- training rows it was NULL in (all NULL when it never was). Usually a column lost in the input
-- project (a renamed raw column, a join on the wrong key): XGBoost then sends every lead down
-- the feature's missing branch, and the scores quietly lose what it knew. A rate that is often
-- NULL (a click rate of leads without opens) on a few leads (a backfill) stays quiet. A warning,
-- not a failure: NULL can be the truth (a backfill to before the first activity: no lead has a
-- last activity yet). Values present in a file but unreadable (dates in another format) fail
-- the build: data_quality_values_set_to_null_share. feature_drift shows a lost column too.
{{ config(severity='warn') }}
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
