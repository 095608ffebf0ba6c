"""XGBoost boosters as plain rows: the input of the SQL scorer (macros/scoring/xgboost_sql.sql).

A deployed model is one booster or an ensemble of boosters ("members"). The ensemble's margin
(log-odds) is the MEAN of its members' margins; each member's margin is reproduced exactly as
XGBoost 3 computes it for binary:logistic:

  margin = float32 running sum: base_margin, then + the leaf value of tree 0, tree 1, ...
  a split sends a row to its left child when float32(value) < float32(split), else right;
  a missing value (NULL / NaN) goes left when the node's default_left is set, else right.

Reason codes are XGBoost's approximate (Saabas) contributions (pred_contribs=True,
approx_contribs=True), also in float32: every node has a mean value (leaf: its value;
internal: the cover-weighted mean of its children); along a row's root->leaf path each step
adds mean(child) - mean(node) to the split feature; the bias is the sum of the roots' means
plus the base margin. A tree's contribution to a feature depends only on the leaf the row
reaches, so it is precomputed per (tree, leaf, feature).

Public API (rows are lists of JSON-serialisable dicts; float32 values are given as the Python
float holding exactly that float32 value; leaves are also numbered 0, 1, 2, ... from left to
right, "leaf_position", so that the leaves under any node are consecutive):
  tree_node_rows(boosters)          one row per tree node
  member_rows(boosters)             one row per member: base margin, tree count
  path_contribution_rows(boosters)  one row per (member, tree, leaf, feature) + a bias row per member
  predict_margin(boosters, X)       numpy reference: mean of the members' XGBoost margins
  tree_tables(boosters)             the three tables by artifact name (tree_nodes, tree_members,
                                    tree_paths); leadscore.artifact writes them into tables/

Every function accepts one booster or a list of boosters. Before rows are produced each member
is checked: supported model kind (binary:logistic gbtree, numeric splits, one target), and our
float32 reproduction must equal XGBoost's own margin bit for bit on probe rows built from the
split points; anything else raises ValueError.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

SUPPORTED_OBJECTIVE = "binary:logistic"
_F32 = np.float32


@dataclass(frozen=True)
class Tree:
    """One regression tree, as XGBoost's JSON node arrays (node id = array index)."""

    left: np.ndarray  # left child id, -1 for a leaf
    right: np.ndarray  # right child id, -1 for a leaf
    feature_index: np.ndarray  # split feature (meaningless for a leaf)
    split: np.ndarray  # float32: split threshold; for a leaf, its value
    default_left: np.ndarray  # bool: where a missing value goes
    cover: np.ndarray  # float32 sum of hessians (weights the node means)

    def is_leaf(self, node: int) -> bool:
        return self.left[node] == -1

    def preorder(self) -> list[int]:
        """Reachable node ids, parents before children (left subtree first)."""
        order, stack = [], [0]
        while stack:
            node = stack.pop()
            order.append(node)
            if not self.is_leaf(node):
                stack += [int(self.right[node]), int(self.left[node])]
        return order

    def leaf_positions(self) -> dict[int, int]:
        """{leaf id: 0, 1, 2, ... from left to right}. The leaves under any node get
        consecutive positions, so a value that is constant on subtrees is a few ranges."""
        leaves = [n for n in self.preorder() if self.is_leaf(n)]
        return {leaf: position for position, leaf in enumerate(leaves)}


@dataclass(frozen=True)
class Member:
    """One booster of the ensemble, parsed and verified."""

    feature_names: list[str]
    base_margin: np.float32
    trees: list[Tree]


# ---------------------------------------------------------------------------------------------
# Parsing and checking a booster


def _as_list(boosters) -> list:
    members = list(boosters) if isinstance(boosters, (list, tuple)) else [boosters]
    if not members:
        raise ValueError("no booster given: pass a booster or a non-empty list of boosters")
    return members


def _model_json(booster) -> dict:
    return json.loads(bytes(booster.save_raw(raw_format="json")))


def _check_supported(booster, model: dict) -> None:
    """Raise ValueError for anything the SQL scorer does not reproduce."""
    learner = model["learner"]
    objective = learner["objective"]["name"]
    if objective != SUPPORTED_OBJECTIVE:
        raise ValueError(
            f"unsupported objective {objective!r}: only {SUPPORTED_OBJECTIVE} "
            "boosters can be compiled to SQL"
        )
    params = learner["learner_model_param"]
    base_scores = params["base_score"].strip("[]").split(",")  # XGBoost 3: "[4.1254124E-1]"
    if (
        int(params.get("num_class", "0")) > 1
        or int(params.get("num_target", "1")) != 1
        or len(base_scores) != 1
    ):
        raise ValueError("unsupported booster: multi-class or multi-target model")
    kind = learner["gradient_booster"]["name"]
    if kind != "gbtree":
        raise ValueError(f"unsupported booster type {kind!r}: only gbtree can be compiled to SQL")
    if booster.feature_names is None:
        raise ValueError(
            "booster has no feature names: train it on a DataFrame or set "
            "booster.feature_names (the SQL reads features by name)"
        )
    # strict=False: a booster without feature_types has no categorical features (empty list).
    categorical = [
        n
        for n, t in zip(booster.feature_names, booster.feature_types or [], strict=False)
        if t == "c"
    ]
    if categorical:
        raise ValueError(f"unsupported categorical features: {', '.join(categorical)}")


def _tree_from_json(tree: dict, number: int) -> Tree:
    """One tree of the JSON model. XGBoost writes each float32 as its shortest round-trip
    decimal; Python reads it as a double and numpy rounds that to the same float32 (no
    double-rounding miss on 1.5M random float32 values; the probe check would catch one)."""
    if int(tree["tree_param"].get("size_leaf_vector", "1")) > 1:
        raise ValueError(f"tree {number}: vector leaves (multi-target trees) are not supported")
    if any(int(t) != 0 for t in tree.get("split_type", [])):
        raise ValueError(f"tree {number}: categorical splits are not supported")
    return Tree(
        left=np.asarray(tree["left_children"], dtype=np.int64),
        right=np.asarray(tree["right_children"], dtype=np.int64),
        feature_index=np.asarray(tree["split_indices"], dtype=np.int64),
        split=np.asarray(tree["split_conditions"], dtype=_F32),
        default_left=np.asarray(tree["default_left"], dtype=bool),
        cover=np.asarray(tree["sum_hessian"], dtype=_F32),
    )


def _xgboost_base_margin(booster, model: dict) -> np.float32:
    """The base margin exactly as XGBoost computes it: the margin of the same model with no
    trees. (Recomputing -log(1/p - 1) with numpy differs in the last bit for most base scores:
    XGBoost uses the C library's logf.) boost_from_average is switched off in the copy, else
    XGBoost treats the tree-less model as untrained and returns base_score unconverted."""
    import xgboost as xgb

    empty = json.loads(json.dumps(model))
    empty["learner"]["learner_model_param"]["boost_from_average"] = "0"
    trees_part = empty["learner"]["gradient_booster"]["model"]
    trees_part["trees"] = []
    trees_part["tree_info"] = []
    trees_part["iteration_indptr"] = [0]
    trees_part["gbtree_model_param"]["num_trees"] = "0"
    no_trees = xgb.Booster()
    no_trees.load_model(bytearray(json.dumps(empty).encode("utf-8")))
    n_features = int(model["learner"]["learner_model_param"]["num_feature"])
    row = np.full((1, n_features), np.nan, dtype=_F32)
    return _F32(no_trees.inplace_predict(row, predict_type="margin")[0])


def _leaf_ids(tree: Tree, x32: np.ndarray) -> np.ndarray:
    """Leaf id reached by every row of the float32 matrix x32 (NaN = missing)."""
    node = np.zeros(len(x32), dtype=np.int64)
    rows = np.arange(len(x32))
    while True:
        inner = tree.left[node] != -1
        if not inner.any():
            return node
        r, n = rows[inner], node[inner]
        value = x32[r, tree.feature_index[n]]
        go_left = np.where(np.isnan(value), tree.default_left[n], value < tree.split[n])
        node[inner] = np.where(go_left, tree.left[n], tree.right[n])


def member_margin_float32(member: Member, x) -> np.ndarray:
    """Our reproduction of one member's margin (float32), for the self-check and the tests."""
    x32 = np.asarray(x, dtype=_F32)
    acc = np.full(len(x32), member.base_margin, dtype=_F32)
    for tree in member.trees:
        acc = acc + tree.split[_leaf_ids(tree, x32)]  # float32 + float32 stays float32
    return acc


def _probe_rows(member: Member) -> np.ndarray:
    """Rows that hit every split point exactly and its float32 neighbours, plus an all-missing
    and an all-zero row: where a wrong comparison, missing rule or rounding would show."""
    n = len(member.feature_names)
    candidates = [[] for _ in range(n)]
    for tree in member.trees:
        for node in tree.preorder():
            if not tree.is_leaf(node):
                s = tree.split[node]
                candidates[tree.feature_index[node]] += [
                    s,
                    np.nextafter(s, _F32(-np.inf)),
                    np.nextafter(s, _F32(np.inf)),
                ]
    n_rows = max([len(c) for c in candidates] + [1])
    probe = np.full((n_rows + 2, n), np.nan, dtype=_F32)
    probe[-1] = 0.0
    for j, values in enumerate(candidates):
        if values:
            probe[:n_rows, j] = np.resize(np.asarray(values, dtype=_F32), n_rows)
    return probe


def _verify_reproduction(booster, member: Member) -> None:
    probe = _probe_rows(member)
    ours = member_margin_float32(member, probe)
    theirs = booster.inplace_predict(probe, predict_type="margin")
    if not np.array_equal(ours, theirs):
        worst = float(np.max(np.abs(ours.astype(float) - theirs.astype(float))))
        raise ValueError(
            "cannot reproduce this booster's margin exactly (max difference "
            f"{worst:.3g} on probe rows): this XGBoost model layout is not supported"
        )


def load_member(booster) -> Member:
    """Parse one booster, check it is supported and that we reproduce it bit for bit."""
    model = _model_json(booster)
    _check_supported(booster, model)
    trees_json = model["learner"]["gradient_booster"]["model"]["trees"]
    member = Member(
        feature_names=list(booster.feature_names),
        base_margin=_xgboost_base_margin(booster, model),
        trees=[_tree_from_json(t, i) for i, t in enumerate(trees_json)],
    )
    _verify_reproduction(booster, member)
    return member


def load_members(boosters) -> list[Member]:
    """load_member for each booster; all members must read the same features."""
    members = [load_member(b) for b in _as_list(boosters)]
    names = members[0].feature_names
    for i, m in enumerate(members[1:], start=1):
        if m.feature_names != names:
            raise ValueError(
                f"ensemble member {i} has other features than member 0 "
                "(members must be trained on the same feature columns)"
            )
    return members


# ---------------------------------------------------------------------------------------------
# Contributions (XGBoost's approximate / Saabas method, float32 like XGBoost)


def node_means(tree: Tree) -> np.ndarray:
    """Mean value of every node (float32): leaf -> its value; internal node ->
    (mean(left) * cover(left) + mean(right) * cover(right)) / cover(node), XGBoost's order."""
    means = np.zeros(len(tree.left), dtype=_F32)
    for node in reversed(tree.preorder()):  # children before parents
        if tree.is_leaf(node):
            means[node] = tree.split[node]
        else:
            left, right = tree.left[node], tree.right[node]
            weighted = _F32(means[left] * tree.cover[left]) + _F32(means[right] * tree.cover[right])
            means[node] = _F32(weighted) / tree.cover[node]
    return means


def leaf_contributions(tree: Tree, means: np.ndarray) -> dict[int, dict[int, np.float32]]:
    """{leaf id: {feature index: contribution}} of one tree, summed along each root->leaf path
    in float32 in path order, as XGBoost does. (XGBoost's last step, leaf value - mean(leaf),
    is always 0 and is left out.)"""
    result, stack = {}, [(0, {})]
    while stack:
        node, acc = stack.pop()
        if tree.is_leaf(node):
            result[node] = acc
            continue
        feature = int(tree.feature_index[node])
        for child in (int(tree.left[node]), int(tree.right[node])):
            step = _F32(means[child] - means[node])
            stack.append((child, {**acc, feature: _F32(acc.get(feature, _F32(0)) + step)}))
    return result


def contribution_bias(member: Member) -> np.float32:
    """The bias column of pred_contribs: float32 sum of the roots' means, then + base margin."""
    bias = _F32(0)
    for tree in member.trees:
        bias = _F32(bias + node_means(tree)[0])
    return _F32(bias + member.base_margin)


# ---------------------------------------------------------------------------------------------
# Rows


def _f(value) -> float | None:
    """A float32 (or None) as the Python float holding exactly that value."""
    return None if value is None else float(value)


def tree_node_rows(boosters) -> list[dict]:
    """One row per reachable node of every tree of every member (in member, tree, node order)."""
    return _node_rows(load_members(boosters))


def member_rows(boosters) -> list[dict]:
    """One row per member: its base margin (float32, as XGBoost computes it) and tree count."""
    return _member_rows(load_members(boosters))


def path_contribution_rows(boosters) -> list[dict]:
    """One row per (member, tree, leaf, feature on the root->leaf path), plus one bias row per
    member (tree, leaf, feature and feature_index null).

    member_contribution: the member's own float32 value (what XGBoost adds for this tree; for
    the bias row, the member's whole bias incl. its base margin);
    contribution: member_contribution / number of members, so summing `contribution` over the
    trees of all members gives the ensemble's contribution (the mean over members).
    """
    return _path_rows(load_members(boosters))


def _node_rows(members: list[Member]) -> list[dict]:
    rows = []
    for m, member in enumerate(members):
        for t, tree in enumerate(member.trees):
            means = node_means(tree)
            positions = tree.leaf_positions()
            for node in sorted(tree.preorder()):
                leaf = bool(tree.is_leaf(node))
                feature = None if leaf else int(tree.feature_index[node])
                rows.append(
                    {
                        "member": m,
                        "tree": t,
                        "node": node,
                        "is_leaf": leaf,
                        "feature": None if leaf else member.feature_names[feature],
                        "feature_index": feature,
                        "split": None if leaf else _f(tree.split[node]),
                        "left_child": None if leaf else int(tree.left[node]),
                        "right_child": None if leaf else int(tree.right[node]),
                        "missing_left": None if leaf else bool(tree.default_left[node]),
                        "leaf_value": _f(tree.split[node]) if leaf else None,
                        "leaf_position": positions.get(node),
                        "mean_value": _f(means[node]),
                        "cover": _f(tree.cover[node]),
                    }
                )
    return rows


def _member_rows(members: list[Member]) -> list[dict]:
    return [
        {"member": m, "base_margin": _f(member.base_margin), "trees": len(member.trees)}
        for m, member in enumerate(members)
    ]


def _path_rows(members: list[Member]) -> list[dict]:
    n = len(members)
    rows = []
    for m, member in enumerate(members):
        for t, tree in enumerate(member.trees):
            positions = tree.leaf_positions()
            for leaf, by_feature in sorted(leaf_contributions(tree, node_means(tree)).items()):
                for feature, value in sorted(by_feature.items()):
                    rows.append(
                        {
                            "member": m,
                            "tree": t,
                            "leaf": leaf,
                            "leaf_position": positions[leaf],
                            "feature": member.feature_names[feature],
                            "feature_index": feature,
                            "member_contribution": _f(value),
                            "contribution": float(value) / n,
                        }
                    )
        bias = contribution_bias(member)
        rows.append(
            {
                "member": m,
                "tree": None,
                "leaf": None,
                "leaf_position": None,
                "feature": None,
                "feature_index": None,
                "member_contribution": _f(bias),
                "contribution": float(bias) / n,
            }
        )
    return rows


def predict_margin(boosters, x) -> np.ndarray:
    """Ensemble margin (float64) of the rows of x (columns in the members' feature order,
    NaN = missing): the mean of the members' XGBoost margins, summed in member order."""
    members = _as_list(boosters)
    total = np.zeros(len(x), dtype=np.float64)
    for booster in members:
        total += booster.inplace_predict(x, predict_type="margin").astype(np.float64)
    return total / len(members)


def predict_contributions(boosters, x) -> np.ndarray:
    """Ensemble feature contributions (float64, one column per feature, then the bias) of the
    rows of x: the mean of the members' approximate (Saabas) contributions, XGBoost's
    predict(pred_contribs=True, approx_contribs=True) - what the SQL scorer's
    xgboost_contributions_sql computes."""
    import xgboost as xgb

    members = _as_list(boosters)
    matrix = xgb.DMatrix(x, missing=np.nan, feature_names=members[0].feature_names)
    total = np.zeros((len(x), x.shape[1] + 1), dtype=np.float64)
    for booster in members:
        total += booster.predict(matrix, pred_contribs=True, approx_contribs=True)
    return total / len(members)


def tree_tables(boosters) -> dict[str, list[dict]]:
    """The three tables the SQL scorer reads, by their artifact table name."""
    members = load_members(boosters)
    return {
        "tree_nodes": _node_rows(members),
        "tree_members": _member_rows(members),
        "tree_paths": _path_rows(members),
    }
