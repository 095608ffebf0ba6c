-- What each tree leaf adds to each feature's approximate (Saabas) contribution, one row per
-- (member, tree, leaf, feature on the leaf's path), plus one bias row per member (feature NULL):
-- the input of the reason codes (macro xgboost_contributions_sql).
select
    cast(member as integer) as member,
    cast(tree as integer) as tree,
    cast(leaf as integer) as leaf,
    cast(leaf_position as integer) as leaf_position,
    cast(feature as {{ dbt.type_string() }}) as feature,
    cast(feature_index as integer) as feature_index,
    cast(member_contribution as {{ leadscore.type_double() }}) as member_contribution,
    cast(contribution as {{ leadscore.type_double() }}) as contribution
from {{ leadscore.artifact_table('tree_paths') }}
