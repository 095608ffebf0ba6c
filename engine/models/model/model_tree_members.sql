-- The ensemble's members (boosters), one row each: XGBoost's base margin (float32) and the
-- number of trees. The deployed margin is the mean of the members' margins.
select
    cast(member as integer) as member,
    cast(base_margin as {{ leadscore.type_double() }}) as base_margin,
    cast(trees as integer) as trees
from {{ leadscore.artifact_table('tree_members') }}
