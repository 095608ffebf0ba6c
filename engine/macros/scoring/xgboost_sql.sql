{#-
  XGBoost booster -> SQL: scores and reason codes in plain SQL on any dbt adapter, identical to
  XGBoost bit for bit (per ensemble member).

  The model arrives as three tables written from ml/leadscore/trees.py:
    nodes    one row per tree node (tree_node_rows): member, tree, node, is_leaf, feature,
             feature_index, split, left_child, right_child, missing_left, leaf_value, leaf_position
    members  one row per ensemble member (member_rows): member, base_margin, trees
    paths    one row per (member, tree, leaf, feature on the leaf's path)
             (path_contribution_rows): leaf_position, member_contribution; plus one bias row
             per member (tree, leaf, feature null)
  When the model runs they are read with run_query and rendered into the SQL (one CASE per
  tree); at parse time an empty select with the same columns is returned.

  Why the SQL looks like this (XGBoost predicts in float32):
   * every feature is cast to float32 once (through double, like the Python scorer; NaN ->
     NULL) and every split compares float32 < float32;
   * every number is written as the exact double value of a float32 with an exponent, so every
     engine reads a DOUBLE (never a DECIMAL) and the cast to float32 is exact;
   * a NULL feature follows the node's missing direction: the CASE is written so that its ELSE
     is the missing side (`x < s then left else right` when missing goes right,
     `x >= s then right else left` when it goes left), and a NULL comparison takes the ELSE;
   * a member's margin is XGBoost's float32 running sum, base margin first, then tree 0, 1, ...;
     the sum is spread over CTEs of _xgb_trees_per_cte() trees because one long expression hits
     expression depth limits (DuckDB: 1000). The ensemble margin is the mean over members.
  Contributions use the same running sums, one per (member, feature), over "what this tree
  adds to this feature", which depends only on the leaf the row reaches: each tree's CASE
  returns the leaf's position (leaves numbered left to right), and the addend is a short CASE
  on position ranges (the leaves under a node have consecutive positions).
-#}

{#- Select key_columns + raw_margin (double): the mean over members of each member's margin. -#}
{% macro xgboost_margin_sql(features_relation, nodes_relation, members_relation, key_columns) -%}
  {%- set keys = leadscore._xgb_quoted_keys(key_columns) -%}
  {%- if not execute -%}
    {{ return("select " ~ keys ~ ", cast(null as " ~ leadscore.type_double() ~ ") as raw_margin from "
              ~ features_relation ~ " where 1 = 0") }}
  {%- endif -%}
  {%- set f32 = leadscore.type_float32() -%}
  {%- set model = leadscore._xgb_read_trees(nodes_relation, f32) -%}
  {%- set base_margins = leadscore._xgb_read_base_margins(members_relation, model, f32) -%}
  {%- set sums = [] -%}
  {%- for member in model.members -%}
    {%- set m = loop.index0 -%}
    {%- set terms = [] -%}
    {%- for tree in member -%}
      {%- do terms.append({'tree': loop.index0, 'sql': 'xgb_m' ~ m ~ '_t' ~ loop.index0}) -%}
    {%- endfor -%}
    {%- do sums.append({'name': 'xgb_m' ~ m ~ '_margin', 'start': base_margins[m], 'terms': terms}) -%}
  {%- endfor -%}
  {%- set last = leadscore._xgb_chunk_count(model.n_trees) - 1 -%}
with
{{ leadscore._xgb_features_cte(features_relation, keys, model.features, f32, with_values=false) }},
{{ leadscore._xgb_leaves_cte(model, 'value') }},
{{ leadscore._xgb_running_sum_ctes(sums, model.n_trees, f32) }}
select {{ keys }},
    ({% for s in sums %}{{ ' + ' if not loop.first }}cast({{ s.name }}_{{ last }} as {{ leadscore.type_double() }}){% endfor %})
      / {{ sums | length }} as raw_margin
from xgb_sum_{{ last }}
{%- endmacro %}


{#- Long form: one row per (key, feature the model splits on) with feature, feature_index (its
    position in the booster), contribution (double) and feature_value (the feature as double),
    plus one bias row per key (feature, feature_index and feature_value null, contribution =
    bias incl. the base margin). Equals XGBoost's
    pred_contribs with approx_contribs=True (per member bit for bit; ensemble: mean over
    members). Features no tree splits on contribute 0 and get no row. About 3-5 times the cost
    of xgboost_margin_sql per row: pass only the rows that need reasons. -#}
{% macro xgboost_contributions_sql(features_relation, nodes_relation, paths_relation, key_columns) -%}
  {%- set keys = leadscore._xgb_quoted_keys(key_columns) -%}
  {%- if not execute -%}
    {{ return("select " ~ keys ~ ", cast(null as " ~ dbt.type_string() ~ ") as feature, cast(null as "
              ~ dbt.type_int() ~ ") as feature_index, cast(null as " ~ leadscore.type_double()
              ~ ") as contribution, cast(null as " ~ leadscore.type_double() ~ ") as feature_value from "
              ~ features_relation ~ " where 1 = 0") }}
  {%- endif -%}
  {%- set f32 = leadscore.type_float32() -%}
  {%- set model = leadscore._xgb_read_trees(nodes_relation, f32) -%}
  {%- set paths = leadscore._xgb_read_paths(paths_relation, model, f32) -%}
  {%- set n_members = model.members | length -%}
  {%- set sums = [] -%}
  {%- for member in model.members -%}
    {%- set m = loop.index0 -%}
    {%- for feature in model.features -%}
      {%- set terms = [] -%}
      {%- for addend in paths.addends.get(m ~ ':' ~ feature, []) -%}
        {%- do terms.append({'tree': addend.tree, 'sql': leadscore._xgb_piecewise_case(
              'xgb_m' ~ m ~ '_t' ~ addend.tree, addend.by_position, member[addend.tree].leaves, f32)}) -%}
      {%- endfor -%}
      {%- if terms -%}
        {%- do sums.append({'name': 'xgb_m' ~ m ~ '_f' ~ loop.index0, 'feature': loop.index0,
                            'start': 'cast(0 as ' ~ f32 ~ ')', 'terms': terms}) -%}
      {%- endif -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- set last = leadscore._xgb_chunk_count(model.n_trees) - 1 -%}
with
{{ leadscore._xgb_features_cte(features_relation, keys, model.features, f32, with_values=true) }},
{{ leadscore._xgb_leaves_cte(model, 'position') }},
{{ leadscore._xgb_running_sum_ctes(sums, model.n_trees, f32) }}
select {{ keys }},
    xgb_feature_list.feature,
    xgb_feature_list.feature_index,
    case xgb_feature_list.xgb_position
        when -1 then ({% for b in paths.biases %}{{ ' + ' if not loop.first }}cast({{ b }} as {{ leadscore.type_double() }}){% endfor %}) / {{ n_members }}
    {%- for feature in model.features %}{% set f = loop.index0 %}
        when {{ f }} then ({% for s in sums if s.feature == f %}{{ ' + ' if not loop.first }}cast({{ s.name }}_{{ last }} as {{ leadscore.type_double() }}){% endfor %}) / {{ n_members }}
    {%- endfor %}
    end as contribution,
    case xgb_feature_list.xgb_position
        when -1 then cast(null as {{ leadscore.type_double() }})
    {%- for feature in model.features %}
        when {{ loop.index0 }} then xgb_value_{{ loop.index0 }}
    {%- endfor %}
    end as feature_value
from xgb_sum_{{ last }}
cross join (
    {%- for feature in model.features %}
    select {{ loop.index0 }} as xgb_position, cast('{{ feature }}' as {{ dbt.type_string() }}) as feature, {{ model.feature_index[feature] }} as feature_index union all
    {%- endfor %}
    select -1 as xgb_position, cast(null as {{ dbt.type_string() }}) as feature, cast(null as {{ dbt.type_int() }}) as feature_index
) as xgb_feature_list
{%- endmacro %}


{#- Reason codes from xgboost_contributions_sql's rows, chosen like the Python scorer
    (leadscore.scoring): reason_up_1..n = the n features with the largest positive
    contribution, reason_down_1..n = the n most negative (ties: lower feature_index first;
    NULL when fewer than n are positive / negative), each with _feature, _contribution and
    _value; contribution_other = the sum of the other features' contributions;
    contribution_bias. One row per key. -#}
{% macro xgboost_reason_codes_sql(contributions_relation, key_columns, n_reasons=3) -%}
  {%- set keys = leadscore._xgb_quoted_keys(key_columns) -%}
  {#- (name, sign of its contributions, sign of its reason number: up_2 -> 2, down_2 -> -2) -#}
  {%- set sides = [('up', '>', ''), ('down', '<', '-')] -%}
with xgb_ranked as (
    select {{ keys }}, feature, contribution, feature_value,
        {#- the bias row (feature null) ranks last and is never a reason #}
        row_number() over (partition by {{ keys }} order by case when feature is null then 1 else 0 end,
                           contribution desc, feature_index) as xgb_rank_up,
        row_number() over (partition by {{ keys }} order by case when feature is null then 1 else 0 end,
                           contribution asc, feature_index) as xgb_rank_down
    from {{ contributions_relation }}
),
xgb_reasons as (
    select xgb_ranked.*,
        case
        {%- for side, sign, reason_sign in sides %}
            when feature is not null and xgb_rank_{{ side }} <= {{ n_reasons }} and contribution {{ sign }} 0
                then {{ reason_sign }}xgb_rank_{{ side }}
        {%- endfor %}
        end as xgb_reason
    from xgb_ranked
)
select {{ keys }},
{%- for side, sign, reason_sign in sides %}{% for i in range(1, n_reasons + 1) %}
    {%- for column, value in [('feature', 'feature'), ('contribution', 'contribution'), ('value', 'feature_value')] %}
    max(case when xgb_reason = {{ reason_sign }}{{ i }} then {{ value }} end) as reason_{{ side }}_{{ i }}_{{ column }},
    {%- endfor %}
{%- endfor %}{% endfor %}
    sum(case when feature is not null and xgb_reason is null then contribution else 0 end) as contribution_other,
    max(case when feature is null then contribution end) as contribution_bias
from xgb_reasons
group by {{ keys }}
{%- endmacro %}


{#- ---------------------------------------------------------------------------------------- -#}
{#- Helpers                                                                                    -#}

{% macro _xgb_trees_per_cte() %}{{ return(50) }}{% endmacro %}

{% macro _xgb_chunk_count(n_trees) -%}
  {{ return([((n_trees + leadscore._xgb_trees_per_cte() - 1) // leadscore._xgb_trees_per_cte()), 1] | max) }}
{%- endmacro %}

{#- Column names (a list, or one name) quoted and comma-separated. -#}
{% macro _xgb_quoted_keys(key_columns) -%}
  {%- set names = [key_columns] if key_columns is string else key_columns -%}
  {%- set quoted = [] -%}
  {%- for name in names %}{% do quoted.append(adapter.quote(name)) %}{% endfor -%}
  {{ return(quoted | join(', ')) }}
{%- endmacro %}

{#- A float32 value (agate gives a Decimal) as an exact SQL literal of type f32: 17
    significant digits round-trip the double, which holds the float32 exactly. -#}
{% macro _xgb_float32_literal(value, f32) -%}
  {{ return('cast(' ~ ('%.16e' | format(value | float)) ~ ' as ' ~ f32 ~ ')') }}
{%- endmacro %}

{#- The nodes table as {'members': [[tree, ...], ...], 'features': [names in booster order],
    'feature_index': {name: booster index}, 'n_trees': trees of the largest member}, where a tree is {'leaves': count, 'nodes': {node
    id: node}} and a node is either {'value', 'position'} (a leaf: its value as a float32
    literal, its position) or {'test', 'then', 'else'}: the comparison and the child ids, with
    the missing side in 'else' (see the header). Fails on gaps in the numbering. -#}
{% macro _xgb_read_trees(nodes_relation, f32) -%}
  {%- set rows = run_query("select " ~ leadscore._xgb_quoted_keys(['member', 'tree', 'node', 'is_leaf',
      'feature', 'feature_index', 'split', 'left_child', 'right_child', 'missing_left', 'leaf_value',
      'leaf_position']) ~ " from " ~ nodes_relation ~ " order by 1, 2, 3").rows -%}
  {%- if rows | length == 0 -%}
    {{ exceptions.raise_compiler_error("XGBoost SQL: the node table " ~ nodes_relation ~ " is empty") }}
  {%- endif -%}
  {%- set members = [] -%}
  {%- set feature_index = {} -%}
  {#- literals inlined (not _xgb_float32_literal): a dbt macro call per node is slow -#}
  {%- set as_f32 = ' as ' ~ f32 ~ ')' -%}
  {%- for agate_row in rows -%}
    {%- set row = agate_row.dict() -%}  {#- one dict per row: agate looks names up slowly -#}
    {%- set m, t = row['member'] | int, row['tree'] | int -%}
    {%- if m == members | length %}{% do members.append([]) %}{% endif -%}
    {%- set trees = members[m] if m < members | length else none -%}
    {%- if trees is none or (t != trees | length and t != trees | length - 1) -%}
      {{ exceptions.raise_compiler_error("XGBoost SQL: " ~ nodes_relation ~ " skips member "
         ~ m ~ " tree " ~ t ~ " (members and trees must be numbered 0, 1, 2, ...)") }}
    {%- endif -%}
    {%- if t == trees | length %}{% do trees.append({'leaves': 0, 'nodes': {}}) %}{% endif -%}
    {%- set tree = trees[t] -%}
    {%- if row['is_leaf'] -%}
      {%- do tree.nodes.update({row['node'] | int: {
            'value': 'cast(' ~ ('%.16e' | format(row['leaf_value'] | float)) ~ as_f32,
            'position': row['leaf_position'] | int}}) -%}
      {%- do tree.update({'leaves': tree.leaves + 1}) -%}
    {%- else -%}
      {%- set feature = row['feature'] -%}
      {%- if "'" in feature or "\\" in feature -%}
        {{ exceptions.raise_compiler_error("XGBoost SQL: feature names may not contain quotes "
           ~ "or backslashes: " ~ feature) }}
      {%- endif -%}
      {%- do feature_index.update({feature: row['feature_index'] | int}) -%}
      {%- set x = adapter.quote(feature) -%}
      {%- set split = 'cast(' ~ ('%.16e' | format(row['split'] | float)) ~ as_f32 -%}
      {%- set left, right = row['left_child'] | int, row['right_child'] | int -%}
      {%- if row['missing_left'] -%}
        {%- do tree.nodes.update({row['node'] | int: {
              'test': x ~ ' >= ' ~ split, 'then': right, 'else': left}}) -%}
      {%- else -%}
        {%- do tree.nodes.update({row['node'] | int: {
              'test': x ~ ' < ' ~ split, 'then': left, 'else': right}}) -%}
      {%- endif -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set features = [] -%}
  {%- for name, index in feature_index | dictsort(false, 'value') %}{% do features.append(name) %}{% endfor -%}
  {%- set n_trees = [] -%}
  {%- for trees in members %}{% do n_trees.append(trees | length) %}{% endfor -%}
  {{ return({'members': members, 'features': features, 'feature_index': feature_index,
              'n_trees': n_trees | max}) }}
{%- endmacro %}

{#- Base margin per member (float32 literals) from the members table, checked against the
    node table. -#}
{% macro _xgb_read_base_margins(members_relation, model, f32) -%}
  {%- set rows = run_query("select " ~ leadscore._xgb_quoted_keys(['member', 'base_margin', 'trees'])
                           ~ " from " ~ members_relation ~ " order by 1").rows -%}
  {%- set base_margins = [] -%}
  {%- for row in rows -%}
    {%- set m = loop.index0 -%}
    {%- if (row['member'] | int) != m or m >= model.members | length
          or (row['trees'] | int) != model.members[m] | length -%}
      {{ exceptions.raise_compiler_error("XGBoost SQL: " ~ members_relation ~ " member "
         ~ row['member'] ~ " (" ~ row['trees'] ~ " trees) does not match the node table") }}
    {%- endif -%}
    {%- do base_margins.append(leadscore._xgb_float32_literal(row['base_margin'], f32)) -%}
  {%- endfor -%}
  {%- if base_margins | length != model.members | length -%}
    {{ exceptions.raise_compiler_error("XGBoost SQL: " ~ members_relation ~ " has "
       ~ base_margins | length ~ " members, the node table " ~ model.members | length) }}
  {%- endif -%}
  {{ return(base_margins) }}
{%- endmacro %}

{#- The paths table as {'addends': {'<member>:<feature>': [{'tree', 'by_position': {leaf position:
    float32 literal}}, ...] in tree order}, 'biases': [double literal per member]}. -#}
{% macro _xgb_read_paths(paths_relation, model, f32) -%}
  {%- set rows = run_query("select " ~ leadscore._xgb_quoted_keys(['member', 'tree', 'leaf_position',
      'feature', 'member_contribution']) ~ " from " ~ paths_relation ~ " order by 1, 2, 3, 4").rows -%}
  {%- set addends = {} -%}
  {%- set biases = {} -%}
  {%- set as_f32 = ' as ' ~ f32 ~ ')' -%}
  {%- for agate_row in rows -%}
    {%- set row = agate_row.dict() -%}
    {%- set m = row['member'] | int -%}
    {%- if row['feature'] is none -%}
      {%- do biases.update({m: '%.16e' | format(row['member_contribution'] | float)}) -%}
    {%- else -%}
      {%- if row['feature'] not in model.features -%}
        {{ exceptions.raise_compiler_error("XGBoost SQL: " ~ paths_relation ~ " has feature "
           ~ row['feature'] ~ ", which no tree of the node table splits on") }}
      {%- endif -%}
      {%- set key = m ~ ':' ~ row['feature'] -%}
      {%- if key not in addends %}{% do addends.update({key: []}) %}{% endif -%}
      {%- set by_tree = addends[key] -%}
      {%- if not by_tree or by_tree[-1].tree != (row['tree'] | int) -%}
        {%- do by_tree.append({'tree': row['tree'] | int, 'by_position': {}}) -%}
      {%- endif -%}
      {%- do by_tree[-1].by_position.update({row['leaf_position'] | int:
            'cast(' ~ ('%.16e' | format(row['member_contribution'] | float)) ~ as_f32}) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- set bias_list = [] -%}
  {%- for m in range(model.members | length) -%}
    {%- if m not in biases -%}
      {{ exceptions.raise_compiler_error("XGBoost SQL: " ~ paths_relation ~ " has no bias row "
         ~ "(feature null) for member " ~ m) }}
    {%- endif -%}
    {%- do bias_list.append(biases[m]) -%}
  {%- endfor -%}
  {{ return({'addends': addends, 'biases': bias_list}) }}
{%- endmacro %}

{#- The keys, each feature the model splits on as float32 (NaN -> NULL: XGBoost's missing)
    and, for reason texts, as double (xgb_value_<position>). -#}
{% macro _xgb_features_cte(features_relation, keys, features, f32, with_values) -%}
xgb_features as (
    select {{ keys }}
    {%- for feature in features %}
        , nullif(cast(cast({{ adapter.quote(feature) }} as {{ leadscore.type_double() }}) as {{ f32 }}), cast('NaN' as {{ f32 }})) as {{ adapter.quote(feature) }}
      {%- if with_values %}
        , cast({{ adapter.quote(feature) }} as {{ leadscore.type_double() }}) as xgb_value_{{ loop.index0 }}
      {%- endif %}
    {%- endfor %}
    from {{ features_relation }}
)
{%- endmacro %}

{#- One column per (member, tree): xgb_m<member>_t<tree> = the value (output 'value', float32)
    or the position (output 'position') of the leaf the row reaches: a nested CASE per tree,
    rendered by a recursive loop that descends with loop([child]). -#}
{% macro _xgb_leaves_cte(model, output) -%}
xgb_leaves as (
    select xgb_features.*
    {%- for member in model.members %}{% set m = loop.index0 %}
      {%- for tree in member %}
        , {% for node in [tree.nodes[0]] recursive -%}
            {%- if node.test is defined -%}
              case when {{ node.test }} then {{ loop([tree.nodes[node.then]]) }} else {{ loop([tree.nodes[node['else']]]) }} end
            {%- else -%}
              {{ node[output] }}
            {%- endif -%}
          {%- endfor %} as xgb_m{{ m }}_t{{ loop.index0 }}
      {%- endfor %}
    {%- endfor %}
    from xgb_features
)
{%- endmacro %}

{#- What one tree adds to one feature, from the leaf position in `column`: values maps leaf
    positions to float32 literals (positions not in it add 0); runs of equal values become
    ranges: case when column < 2 then a when column < 5 then b else 0 end. -#}
{% macro _xgb_piecewise_case(column, values, n_leaves, f32) -%}
  {%- set zero = 'cast(0 as ' ~ f32 ~ ')' -%}
  {%- set run = namespace(value=values.get(0, zero), whens=[]) -%}
  {%- for position in range(1, n_leaves) -%}
    {%- set value = values.get(position, zero) -%}
    {%- if value != run.value -%}
      {%- do run.whens.append('when ' ~ column ~ ' < ' ~ position ~ ' then ' ~ run.value) -%}
      {%- set run.value = value -%}
    {%- endif -%}
  {%- endfor -%}
  {{ return(('case ' ~ (run.whens | join(' ')) ~ ' else ' ~ run.value ~ ' end') if run.whens else run.value) }}
{%- endmacro %}

{#- CTEs xgb_sum_0 .. xgb_sum_<n-1> over xgb_leaves. Each float32 running sum in `sums`
    ({'name', 'start': sql, 'terms': [{'tree', 'sql'}] in tree order}) adds the terms of
    _xgb_trees_per_cte() trees per CTE: cast(cast(start + t0 as float) + t1 as float) ...
    Its value after CTE c is column <name>_<c>. -#}
{% macro _xgb_running_sum_ctes(sums, n_trees, f32) -%}
  {%- set per_cte = leadscore._xgb_trees_per_cte() -%}
  {%- for c in range(leadscore._xgb_chunk_count(n_trees)) %}
    {%- set source = 'xgb_leaves' if c == 0 else 'xgb_sum_' ~ (c - 1) %}
xgb_sum_{{ c }} as (
    select {{ source }}.*
    {%- for s in sums %}
      {%- set acc = namespace(sql=(s.start if c == 0 else s.name ~ '_' ~ (c - 1))) %}
      {%- for term in s.terms if term.tree // per_cte == c %}
        {%- set acc.sql = 'cast(' ~ acc.sql ~ ' + ' ~ term.sql ~ ' as ' ~ f32 ~ ')' %}
      {%- endfor %}
        , {{ acc.sql }} as {{ s.name }}_{{ c }}
    {%- endfor %}
    from {{ source }}
){{ ',' if not loop.last }}
  {%- endfor %}
{%- endmacro %}
