-- The boosters' trees, one row per node (leadscore.trees.tree_node_rows): what the SQL scorer
-- (macro xgboost_margin_sql) compiles into one CASE per tree. Float values are float32 values
-- held exactly in a double.
select
    cast(member as integer) as member,
    cast(tree as integer) as tree,
    cast(node as integer) as node,
    cast(is_leaf as boolean) as is_leaf,
    cast(feature as {{ dbt.type_string() }}) as feature,
    cast(feature_index as integer) as feature_index,
    cast(split as {{ leadscore.type_double() }}) as split,
    cast(left_child as integer) as left_child,
    cast(right_child as integer) as right_child,
    cast(missing_left as boolean) as missing_left,
    cast(leaf_value as {{ leadscore.type_double() }}) as leaf_value,
    cast(leaf_position as integer) as leaf_position,
    cast(mean_value as {{ leadscore.type_double() }}) as mean_value,
    cast(cover as {{ leadscore.type_double() }}) as cover
from {{ leadscore.artifact_table('tree_nodes') }}
