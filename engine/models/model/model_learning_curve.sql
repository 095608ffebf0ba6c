-- How many labels are enough: cross-validated precision@K and AUC when the boosters see
-- 25 / 50 / 75 / 100% of the labelled rows (same held-out rows), from the model card.
-- The reading in words is model_card.learning_curve_reading.
select
    cast(fraction as {{ leadscore.type_double() }}) as training_fraction,
    cast(train_rows as {{ leadscore.type_double() }}) as training_rows,
    cast(k as integer) as k,
    cast(precision as {{ leadscore.type_double() }}) as precision,
    cast(ci_low as {{ leadscore.type_double() }}) as ci_low,
    cast(ci_high as {{ leadscore.type_double() }}) as ci_high,
    cast(roc_auc as {{ leadscore.type_double() }}) as roc_auc,
    cast(auc_ci_low as {{ leadscore.type_double() }}) as auc_ci_low,
    cast(auc_ci_high as {{ leadscore.type_double() }}) as auc_ci_high
from {{ leadscore.artifact_table('learning_curve') }}
