-- The score thresholds worth marking on a threshold chart, one row per rule that has one:
-- the card's 'target' and 'conservative' cut-offs (chosen on cross-validation), phase 2's
-- recalibrated recommendation ('phase2_precision') and its ROI option ('phase2_roi'), and
-- the economics' break-even score ('break_even': cost_per_contact / value_per_response).
with card_rules as (
    select threshold_rule, score, reached,
        case when threshold_rule = 'target'
             then 'card: lowest cut-off reaching the target precision'
             else 'card: cut-off whose precision interval clears the target' end as description
    from {{ ref('model_thresholds') }}
),

phase2 as (
    select recommended_threshold, roi_recommended_threshold
    from {{ ref('rollout_phase2_calibration') }}
),

economics as (
    select break_even_score from {{ ref('economics_summary') }}
),

rules as (
    select threshold_rule, score, reached, description from card_rules
    union all
    select 'phase2_precision' as threshold_rule, recommended_threshold as score, true as reached,
        'phase 2: recalibrated threshold for the target precision' as description
    from phase2
    union all
    select 'phase2_roi' as threshold_rule, roi_recommended_threshold as score, true as reached,
        'phase 2: profit-maximising threshold (recalibrated)' as description
    from phase2
    union all
    select 'break_even' as threshold_rule, break_even_score as score, true as reached,
        'economics: a lead above it is worth its contact cost' as description
    from economics
)

select threshold_rule, score, reached, description
from rules
where score is not null
