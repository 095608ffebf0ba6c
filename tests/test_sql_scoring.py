"""The XGBoost -> SQL compiler (leadscore.trees + macros/scoring/xgboost_sql.sql) against XGBoost.

Real components only: the shipped booster and boosters trained here with modelling.fit_booster,
real dbt runs on real DuckDB files. A throwaway dbt project (leadscore.sql_project) holds
copies of the macros, the model tables (JSON lines written by leadscore.trees, read by dbt
models) and feature tables; dbt renders and runs the scoring models, and the results are
compared with booster.predict.

Model sets: "sample" = the shipped ensemble (its fold boosters); "ensemble" = three members trained here with
modelling.fit_booster (depth 1, depth 6, depth 3 with base_score 0.03); ensemble margin = mean;
"leaves_only" = a booster whose trees are all single leaves (no split anywhere).
Feature sets: the sample's lead_features (1,303 rows) and (slow) 100,000 stress rows with
NULLs, NaNs, values on split points and their float32 neighbours, zeros, negatives and 1e30.
"""

import json

import numpy as np
import pyarrow as pa
import pytest
import xgboost as xgb
from sql_project import SqlScoringProject

from leadscore import modelling, trees
from leadscore.artifact import load_artifact
from leadscore.settings import (
    DEFAULT_ARTIFACT_DIR,
    LABEL_COLUMN,
    SCORING_KEY_COLUMNS,
    TRAINING_KEY_COLUMNS,
)

SAMPLE_KEYS = list(SCORING_KEY_COLUMNS)  # lead_id, feature_as_of: a two-column key
STRESS_ROWS = 100_000
STRESS_LISTED = 20_000  # stress rows whose contributions are computed (callers list leads)
ENSEMBLE_SETTINGS = [  # (seed, fit_booster overrides)
    (1, {"max_depth": 1}),
    (2, {"max_depth": 6}),
    (3, {"max_depth": 3, "base_score": 0.03}),
]


# ---------------------------------------------------------------------------------------------
# Models, data and the dbt project (built once per module)


@pytest.fixture(scope="module")
def sample(sample_build):
    """lead_features and lead_training_set of the bundled sample, built by the real project."""
    features = sample_build.df("select * from lead_features order by lead_id")
    training = sample_build.df("select * from lead_training_set order by contact_id")
    return {"features": features, "training": training}


@pytest.fixture(scope="module")
def boosters(sample):
    shipped = load_artifact(DEFAULT_ARTIFACT_DIR).boosters  # the deployed fold-booster ensemble
    training = sample["training"]
    names = [c for c in training.columns if c not in (*TRAINING_KEY_COLUMNS, LABEL_COLUMN)]
    assert all(names == list(b.feature_names) for b in shipped)
    y = training[LABEL_COLUMN].astype(int).to_numpy()
    ensemble = [
        modelling.fit_booster(training[names], y, seed, overrides)
        for seed, overrides in ENSEMBLE_SETTINGS
    ]
    leaves_only = modelling.fit_booster(training[names], y, 5, {"min_child_weight": 1000})
    return {"sample": shipped, "ensemble": ensemble, "leaves_only": [leaves_only]}


def feature_table(x: np.ndarray, nulls: np.ndarray, names, keys: dict) -> pa.Table:
    """Arrow table: key columns, a row_index and the features (NULL where nulls; NaN stays NaN)."""
    columns = {**keys, "row_index": np.arange(len(x))}
    arrays = {k: pa.array(v) for k, v in columns.items()}
    for j, name in enumerate(names):
        arrays[name] = pa.array(x[:, j], type=pa.float64(), mask=nulls[:, j])
    return pa.table(arrays)


def margin_model(model_set: str, features: str, keys: list[str], nodes=None, members=None) -> str:
    """A dbt model: the margin macro on source('input', features) + the score in SQL. The node
    and member relations default to the model set's tables (else: Jinja expressions)."""
    nodes = nodes or f"ref('{model_set}_nodes')"
    members = members or f"ref('{model_set}_members')"
    return (
        f"select *, 1 / (1 + exp(-raw_margin)) as raw_score from (\n"
        f"{{{{ leadscore.xgboost_margin_sql(source('input', '{features}'), {nodes}, {members}, "
        f"{keys!r}) }}}}\n) as scored"
    )


def contributions_model(model_set: str, features: str, keys: list[str]) -> str:
    return (
        f"{{{{ leadscore.xgboost_contributions_sql(source('input', '{features}'), "
        f"ref('{model_set}_nodes'), ref('{model_set}_paths'), {keys!r}) }}}}"
    )


def one_member(table: str, m: int) -> str:
    """Jinja expression: ensemble member m of a model-set table as a subquery, renumbered 0
    (a relation may be any parenthesised select)."""
    return (
        f"'(select * replace (0 as member) from ' ~ ref('ensemble_{table}') ~ "
        f"' where member = {m})'"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory, sample, boosters):
    """The throwaway project scoring the sample features with every model set (one dbt run)."""
    project = SqlScoringProject(tmp_path_factory.mktemp("sql_scoring_project"))
    names = list(boosters["sample"][0].feature_names)
    frame = sample["features"]
    x = frame[names].to_numpy(dtype=float)
    keys = {k: frame[k].to_numpy() for k in SAMPLE_KEYS}
    project.add_features("features_sample", feature_table(x, np.isnan(x), names, keys))
    for model_set, members in boosters.items():
        project.add_model_tables(model_set, members)
        project.add_model(
            f"margin_{model_set}", margin_model(model_set, "features_sample", SAMPLE_KEYS)
        )
        project.add_model(
            f"contrib_{model_set}", contributions_model(model_set, "features_sample", SAMPLE_KEYS)
        )
    project.add_model(
        "reasons_sample",
        f"{{{{ leadscore.xgboost_reason_codes_sql(ref('contrib_sample'), {SAMPLE_KEYS!r}) }}}}",
    )
    # every ensemble member alone: per-member bit identity
    for m in range(len(boosters["ensemble"])):
        project.add_model(
            f"margin_member{m}",
            margin_model(
                "ensemble",
                "features_sample",
                SAMPLE_KEYS,
                nodes=one_member("nodes", m),
                members=one_member("members", m),
            ),
        )
    project.dbt("run")
    return project


# ---------------------------------------------------------------------------------------------
# Reading results back in feature-table row order


def sql_margins(project, model: str, features: str, keys) -> tuple[np.ndarray, np.ndarray]:
    """(raw_margin, raw_score) per feature-table row, in row_index order; one row per key."""
    on = " and ".join(f'f."{k}" = s."{k}"' for k in keys)
    with project.connect() as con:
        n = con.execute(f"select count(*) from {features}").fetchone()[0]
        got = con.execute(
            f"select f.row_index, s.raw_margin, s.raw_score from {features} f "
            f"join {model} s on {on} order by f.row_index"
        ).fetchnumpy()
    assert len(got["row_index"]) == n and np.array_equal(got["row_index"], np.arange(n))
    return got["raw_margin"], got["raw_score"]


def sql_contributions(project, model: str, features: str, keys, names) -> np.ndarray:
    """(rows, features + 1) matrix like pred_contribs (bias last); absent features are 0."""
    on = " and ".join(f'f."{k}" = c."{k}"' for k in keys)
    with project.connect() as con:
        n = con.execute(f"select count(*) from {features}").fetchone()[0]
        got = con.execute(
            f"select f.row_index, coalesce(c.feature, '<bias>') as feature, "
            f"c.contribution from {features} f join {model} c on {on}"
        ).fetchnumpy()
    position = {name: j for j, name in enumerate([*names, "<bias>"])}
    cols = np.array([position[f] for f in got["feature"]])
    rows = got["row_index"]
    assert len(set(zip(rows.tolist(), cols.tolist(), strict=True))) == len(rows), (
        "a (row, feature) twice"
    )
    out = np.zeros((n, len(names) + 1))
    out[rows, cols] = got["contribution"]
    assert np.all(np.isin(np.arange(n), rows)), "a row without contributions"
    return out


def xgb_contributions(members, x, names) -> np.ndarray:
    """Ensemble (mean) of XGBoost's approximate contributions, float64."""
    total = np.zeros((len(x), len(names) + 1))
    for booster in members:
        dm = xgb.DMatrix(x, feature_names=names, missing=np.nan)
        total += booster.predict(dm, pred_contribs=True, approx_contribs=True).astype(np.float64)
    return total / len(members)


def xgb_score(members, x, names) -> np.ndarray:
    """XGBoost's probability; for an ensemble the sigmoid of the mean of XGBoost's margins
    (the deployed ensemble averages margins, not probabilities)."""
    dm = xgb.DMatrix(x, feature_names=names, missing=np.nan)
    if len(members) == 1:
        return members[0].predict(dm).astype(np.float64)
    margins = [b.predict(dm, output_margin=True).astype(np.float64) for b in members]
    return 1 / (1 + np.exp(-(sum(margins) / len(members))))


def sample_matrix(sample, names):
    return sample["features"][names].to_numpy(dtype=float)


def assert_same_ranking(sql_score, xgb_score):
    """The two rankings agree except between exact ties: sorted by one score (ties broken by
    the other), the other score never goes up. (XGBoost's float32 probabilities tie more often
    than the double scores computed from the same float32 margins.)"""
    by_sql = np.lexsort((-xgb_score, -sql_score))
    by_xgb = np.lexsort((-sql_score, -xgb_score))
    assert np.all(np.diff(xgb_score[by_sql]) <= 0)
    assert np.all(np.diff(sql_score[by_xgb]) <= 0)


# ---------------------------------------------------------------------------------------------
# Parity on the sample features

MODEL_SETS = ["sample", "ensemble", "leaves_only"]


@pytest.mark.parametrize("model_set", MODEL_SETS)
def test_margin_and_score_match_xgboost(project, sample, boosters, model_set):
    members = boosters[model_set]
    names = list(members[0].feature_names)
    x = sample_matrix(sample, names)
    margin, score = sql_margins(project, f"margin_{model_set}", "features_sample", SAMPLE_KEYS)
    # bit-identical: the mean of the members' float32 margins, summed in member order
    assert np.array_equal(margin, trees.predict_margin(members, x))
    if len(members) == 1:
        assert np.array_equal(
            margin,
            members[0]
            .predict(xgb.DMatrix(x, feature_names=names), output_margin=True)
            .astype(np.float64),
        )
    expected = xgb_score(members, x, names)
    assert np.max(np.abs(score - expected)) < 1e-6
    assert_same_ranking(score, expected)


@pytest.mark.parametrize("m", range(len(ENSEMBLE_SETTINGS)))
def test_each_ensemble_member_is_bit_identical(project, sample, boosters, m):
    booster = boosters["ensemble"][m]
    names = list(booster.feature_names)
    x = sample_matrix(sample, names)
    margin, score = sql_margins(project, f"margin_member{m}", "features_sample", SAMPLE_KEYS)
    expected = booster.predict(xgb.DMatrix(x, feature_names=names), output_margin=True)
    assert np.array_equal(margin, expected.astype(np.float64))
    assert np.max(np.abs(score - booster.predict(xgb.DMatrix(x, feature_names=names)))) < 1e-6


def test_ensemble_covers_the_edge_cases(boosters):
    """The ensemble really has what the parity tests claim: a depth-1 and a depth-6 member,
    a single-leaf tree, a base score far from 0.5 and features no member splits on."""
    rows = trees.tree_node_rows(boosters["ensemble"])
    depth = {}
    for r in rows:  # node depth from the parent links
        if r["node"] == 0:
            depth[(r["member"], r["tree"], 0)] = 0
        if not r["is_leaf"]:
            for child in (r["left_child"], r["right_child"]):
                depth[(r["member"], r["tree"], child)] = (
                    depth[(r["member"], r["tree"], r["node"])] + 1
                )
    max_depth = {
        m: max(d for (mm, _, _), d in depth.items() if mm == m)
        for m in range(len(ENSEMBLE_SETTINGS))
    }
    assert max_depth[0] == 1 and max_depth[1] == 6
    leaves_only = {(r["member"], r["tree"]) for r in rows if r["node"] == 0 and r["is_leaf"]}
    assert leaves_only, "no single-leaf tree"
    base = [r["base_margin"] for r in trees.member_rows(boosters["ensemble"])]
    assert base[2] < -3  # logit(0.03)
    used = {r["feature"] for r in rows if not r["is_leaf"]}
    assert len(used) < len(boosters["ensemble"][0].feature_names)
    assert all(r["is_leaf"] for r in trees.tree_node_rows(boosters["leaves_only"]))


@pytest.mark.parametrize("model_set", MODEL_SETS)
def test_contributions_match_xgboost(project, sample, boosters, model_set):
    members = boosters[model_set]
    names = list(members[0].feature_names)
    x = sample_matrix(sample, names)
    got = sql_contributions(project, f"contrib_{model_set}", "features_sample", SAMPLE_KEYS, names)
    expected = xgb_contributions(members, x, names)
    assert np.max(np.abs(got - expected)) < 1e-6  # every feature and the bias
    if len(members) == 1:  # one member: XGBoost's float32 values exactly
        assert np.array_equal(got, expected)
    margin, _ = sql_margins(project, f"margin_{model_set}", "features_sample", SAMPLE_KEYS)
    # contributions + bias = margin, up to float32 rounding (XGBoost's own gap is ~2e-6)
    assert np.max(np.abs(got.sum(axis=1) - margin)) < 1e-5


def test_contribution_rows_carry_the_feature_value(project, sample):
    with project.connect() as con:
        rows = con.execute(
            'select c.feature_value, f."connections" from contrib_sample c join features_sample f '
            "using (lead_id, feature_as_of) where c.feature = 'connections'"
        ).fetchall()
        bias = con.execute(
            "select count(*), count(distinct contribution) from contrib_sample "
            "where feature is null and feature_value is null"
        ).fetchone()
    assert rows and all(a == b or (a is None and b is None) for a, b in rows)
    assert bias == (len(sample["features"]), 1)  # one bias row per lead, the same value


def python_reasons(contribs: np.ndarray, names, n=3) -> list[dict]:
    """Reference reason choice: the n largest positive / most negative contributions per row
    (ties: booster feature order), with the rest summed into contribution_other."""
    out = []
    for row in contribs:
        feat, bias = row[:-1], row[-1]
        up = [j for j in sorted(range(len(feat)), key=lambda j: (-feat[j], j)) if feat[j] > 0][:n]
        down = [j for j in sorted(range(len(feat)), key=lambda j: (feat[j], j)) if feat[j] < 0][:n]
        r = {
            "contribution_bias": float(bias),
            "contribution_other": float(
                sum(feat[j] for j in range(len(feat)) if j not in up + down)
            ),
        }
        for side, picked in (("up", up), ("down", down)):
            for i in range(n):
                r[f"reason_{side}_{i + 1}_feature"] = names[picked[i]] if i < len(picked) else None
                r[f"reason_{side}_{i + 1}_contribution"] = (
                    float(feat[picked[i]]) if i < len(picked) else np.nan
                )
        out.append(r)
    return out


def test_reason_codes_match_xgboost(project, sample, boosters):
    """xgboost_reason_codes_sql picks the reasons XGBoost's own approximate contributions give."""
    members = boosters["sample"]  # the shipped ensemble: reasons from the members' mean
    names = list(members[0].feature_names)
    frame = sample["features"].sort_values(SAMPLE_KEYS).reset_index(drop=True)
    contribs = xgb_contributions(members, frame[names].to_numpy(np.float32), names)
    expected = python_reasons(contribs, names)
    with project.connect() as con:
        sql = con.execute(f"select * from reasons_sample order by {', '.join(SAMPLE_KEYS)}").df()
    assert len(sql) == len(expected)
    for side in ("up", "down"):
        for i in (1, 2, 3):
            p = f"reason_{side}_{i}"
            assert sql[f"{p}_feature"].tolist() == [r[f"{p}_feature"] for r in expected]
            np.testing.assert_allclose(
                sql[f"{p}_contribution"].to_numpy(float),
                [r[f"{p}_contribution"] for r in expected],
                atol=1e-6,
            )
    assert sql["reason_up_1_feature"].notna().any() and sql["reason_down_3_feature"].notna().any()
    np.testing.assert_allclose(
        sql["contribution_bias"], [r["contribution_bias"] for r in expected], atol=1e-6
    )
    np.testing.assert_allclose(
        sql["contribution_other"], [r["contribution_other"] for r in expected], atol=1e-6
    )


# ---------------------------------------------------------------------------------------------
# 100,000 stress rows

EDGE_KINDS = {  # share of cells replaced by each kind of value
    "null": 0.10,
    "nan": 0.03,
    "split": 0.10,
    "float32_below": 0.06,
    "float32_above": 0.06,
    "double_below": 0.05,
    "zero": 0.05,
    "negative": 0.05,
    "huge": 0.04,
}


def stress_matrix(base: np.ndarray, node_rows: list[dict], names, n: int, seed: int):
    """n rows resampled from base with cells replaced by edge values; returns (x, nulls).
    Split-based kinds use a split of that feature: the split itself, its float32 neighbours,
    or the double just below it (which rounds to the split in float32: goes right in XGBoost,
    left in a double comparison)."""
    rng = np.random.default_rng(seed)
    x = base[rng.integers(0, len(base), n)].copy()
    nulls = np.zeros_like(x, dtype=bool)
    kinds = list(EDGE_KINDS)
    p = [*EDGE_KINDS.values(), 1 - sum(EDGE_KINDS.values())]
    kind = rng.choice(len(p), size=x.shape, p=p)  # the last index = keep the value
    splits = {j: [] for j in range(len(names))}
    for r in node_rows:
        if not r["is_leaf"]:
            splits[r["feature_index"]].append(r["split"])
    for j in range(len(names)):
        s32 = np.asarray(splits[j] or [0.0], dtype=np.float32)[
            rng.integers(0, max(len(splits[j]), 1), n)
        ]
        edge = {
            "split": s32.astype(float),
            "float32_below": np.nextafter(s32, np.float32(-np.inf)).astype(float),
            "float32_above": np.nextafter(s32, np.float32(np.inf)).astype(float),
            "double_below": np.nextafter(s32.astype(float), -np.inf),
            "zero": np.zeros(n),
            "negative": -(np.abs(x[:, j]) + 1),
            "huge": rng.choice([-1e30, 1e30], n),
            "nan": np.full(n, np.nan),
        }
        for k, name in enumerate(kinds):
            cells = kind[:, j] == k
            if name == "null":
                nulls[cells, j] = True
            else:
                x[cells, j] = edge[name][cells]
    x[nulls] = np.nan  # what XGBoost sees for NULL
    return x, nulls


@pytest.fixture(scope="module")
def stress(project, sample, boosters):
    names = list(boosters["sample"][0].feature_names)
    node_rows = trees.tree_node_rows(boosters["sample"] + boosters["ensemble"])
    x, nulls = stress_matrix(sample_matrix(sample, names), node_rows, names, STRESS_ROWS, seed=5)
    table = feature_table(x, nulls, names, {"row_id": np.arange(len(x)) * 7 + 3})
    project.add_features("features_stress", table)
    project.add_features("features_stress_listed", table.slice(0, STRESS_LISTED))
    for model_set in ("sample", "ensemble"):
        project.add_model(
            f"margin_stress_{model_set}", margin_model(model_set, "features_stress", ["row_id"])
        )
    project.add_model(
        "contrib_stress_ensemble",
        contributions_model("ensemble", "features_stress_listed", ["row_id"]),
    )
    project.dbt(
        "run",
        "--select",
        "margin_stress_sample",
        "margin_stress_ensemble",
        "contrib_stress_ensemble",
    )
    return {"x": x, "nulls": nulls, "names": names}


@pytest.mark.slow
def test_stress_rows_contain_the_edge_cases(stress, boosters):
    """A scorer comparing in double (not float32) would get these rows wrong: the test data
    can catch it. (Our float32 reproduction itself equals XGBoost on them.)"""
    member = trees.load_member(boosters["sample"][0])
    x = stress["x"][:20_000]
    as_double = np.full(len(x), member.base_margin, dtype=np.float64)
    for tree in member.trees:
        as_double += tree.split[trees._leaf_ids(tree, x)]  # float64 comparisons
    xgb_margin = boosters["sample"][0].inplace_predict(x, predict_type="margin")
    assert np.sum(np.abs(as_double - xgb_margin) > 1e-3) > 100
    assert np.array_equal(trees.member_margin_float32(member, x), xgb_margin)
    nulls = stress["nulls"][: len(x)]
    assert nulls.sum() > 0.09 * x.size and np.isnan(x).sum() > nulls.sum()
    assert np.sum(np.abs(x) == 1e30) > 0.03 * x.size


@pytest.mark.slow
@pytest.mark.parametrize("model_set", ["sample", "ensemble"])
def test_stress_margins_match_xgboost(project, stress, boosters, model_set):
    members = boosters[model_set]
    x, names = stress["x"], stress["names"]
    margin, score = sql_margins(
        project, f"margin_stress_{model_set}", "features_stress", ["row_id"]
    )
    assert np.array_equal(margin, trees.predict_margin(members, x))
    expected = xgb_score(members, x, names)
    assert np.max(np.abs(score - expected)) < 1e-6
    assert_same_ranking(score, expected)


@pytest.mark.slow
def test_stress_contributions_match_xgboost(project, stress, boosters):
    members = boosters["ensemble"]
    x, names = stress["x"], stress["names"]
    got = sql_contributions(
        project, "contrib_stress_ensemble", "features_stress_listed", ["row_id"], names
    )
    expected = xgb_contributions(members, x[:STRESS_LISTED], names)
    assert np.max(np.abs(got - expected)) < 1e-6


# ---------------------------------------------------------------------------------------------
# The rows themselves, and what is refused


def test_rows_are_json_and_describe_every_tree(boosters):
    members = boosters["ensemble"]
    nodes = trees.tree_node_rows(members)
    paths = trees.path_contribution_rows(members)
    json.dumps([nodes, paths, trees.member_rows(members)], allow_nan=False)
    for m, booster in enumerate(members):
        frame = booster.trees_to_dataframe()
        assert sum(r["member"] == m for r in nodes) == len(frame)
        assert (
            sum(r["member"] == m and r["is_leaf"] for r in nodes) == (frame.Feature == "Leaf").sum()
        )
    bias_rows = [r for r in paths if r["feature"] is None]
    assert [r["member"] for r in bias_rows] == list(range(len(members)))
    # the divided column sums (over members) to the ensemble: contribution = member's / n
    assert all(r["contribution"] == r["member_contribution"] / len(members) for r in paths)


@pytest.mark.fast
def test_base_margin_is_xgboosts_for_any_base_score():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] + rng.normal(size=200) > 0).astype(int)
    dtrain = xgb.DMatrix(x, label=y, feature_names=["a", "b", "c"])
    for base_score in [1e-4, 0.03, 0.2, 0.5, 0.77, 0.999]:
        booster = xgb.train(
            {
                "objective": "binary:logistic",
                "base_score": base_score,
                "max_depth": 2,
                "nthread": 1,
            },
            dtrain,
            5,
        )
        member = trees.load_member(booster)  # verifies itself; check again on fresh rows
        probe = np.where(rng.random(x.shape) < 0.2, np.nan, rng.normal(size=x.shape))
        assert np.array_equal(
            trees.member_margin_float32(member, probe),
            booster.inplace_predict(probe, predict_type="margin"),
        )


def _tiny_booster(params, n_class=2, categorical=False, rounds=2):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(100, 2))
    y = rng.integers(0, n_class, 100)
    if categorical:
        import pandas as pd

        frame = pd.DataFrame({"a": pd.Categorical(rng.integers(0, 3, 100)), "b": x[:, 1]})
        dm = xgb.DMatrix(frame, label=y, enable_categorical=True)
    else:
        dm = xgb.DMatrix(x, label=y, feature_names=["a", "b"])
    return xgb.train({"nthread": 1, **params}, dm, rounds)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("params", "kwargs", "message"),
    [
        ({"objective": "reg:squarederror"}, {}, "unsupported objective"),
        ({"objective": "multi:softprob", "num_class": 3}, {"n_class": 3}, "unsupported objective"),
        ({"objective": "binary:logistic", "booster": "dart"}, {}, "unsupported booster type"),
        ({"objective": "binary:logistic", "booster": "gblinear"}, {}, "unsupported booster type"),
        (
            {"objective": "binary:logistic", "tree_method": "hist", "max_cat_to_onehot": 1},
            {"categorical": True},
            "categorical",
        ),
    ],
)
def test_unsupported_boosters_are_refused(params, kwargs, message):
    booster = _tiny_booster(params, **kwargs)
    with pytest.raises(ValueError, match=message):
        trees.tree_node_rows(booster)


@pytest.mark.fast
def test_booster_without_feature_names_is_refused():
    booster = _tiny_booster({"objective": "binary:logistic"})
    booster.feature_names = None
    with pytest.raises(ValueError, match="no feature names"):
        trees.member_rows(booster)


def test_ensemble_members_must_share_features(boosters):
    other = _tiny_booster({"objective": "binary:logistic"})
    with pytest.raises(ValueError, match="other features"):
        trees.member_rows([boosters["sample"][0], other])


def test_macro_refuses_tables_that_do_not_match(project):
    """A members table that disagrees with the node table fails the dbt run, naming it."""
    project.add_model(
        "bad_members",
        "select member, base_margin, trees - 1 as trees from {{ ref('sample_members') }}",
    )
    project.add_model(
        "bad_margin",
        "{{ leadscore.xgboost_margin_sql(source('input', 'features_sample'), "
        "ref('sample_nodes'), ref('bad_members'), ['lead_id', 'feature_as_of']) }}",
    )
    result = project.dbt("run", "--select", "bad_members", "bad_margin", check=False)
    assert result.returncode != 0
    assert "does not match the node table" in result.stdout
