-- Warns (the build goes on) for a model feature that is NULL for every lead scored today but had
-- values in training: usually a column lost in the input project (a renamed raw column, a join
-- on the wrong key). XGBoost then sends every lead down the feature's missing branch, and the
-- scores quietly lose what it knew. feature_drift shows it as major drift too.
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
