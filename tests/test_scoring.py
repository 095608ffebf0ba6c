"""Scoring inside dbt: the model/ layer, lead_scores and the artifact checks, on real builds.

Reads the shared sample build (shipped artifact); failure cases run single models against a
copy of that build's database, so nothing upstream is rebuilt.
"""

import dataclasses
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from conftest import TREE_TABLES, DbtProject

from leadscore.artifact import load_artifact, save_artifact
from leadscore.settings import DEFAULT_ARTIFACT_DIR


@pytest.fixture(scope="module")
def artifact():
    return load_artifact(DEFAULT_ARTIFACT_DIR)


@pytest.fixture(scope="module")
def scores(sample_build):
    return sample_build.df("select * from lead_scores")


def test_scores_match_independent_xgboost(sample_build, scores, artifact):
    feats = sample_build.df("select * from lead_features order by lead_id")
    x = feats[artifact.feature_names].to_numpy(dtype=np.float32)
    margins = [
        xgb.Booster(model_file=str(DEFAULT_ARTIFACT_DIR / m)).predict(
            xgb.DMatrix(x, feature_names=artifact.feature_names), output_margin=True
        )
        for m in artifact.card.model.members
    ]
    margin = np.mean(np.asarray(margins, dtype=float), axis=0)
    s = scores.set_index("lead_id").loc[feats["lead_id"]]
    assert len(scores) == len(feats)
    np.testing.assert_allclose(s["raw_margin"], margin, atol=1e-12, rtol=0)
    np.testing.assert_allclose(s["raw_score"], 1 / (1 + np.exp(-margin)), atol=1e-12, rtol=0)
    cal = artifact.card.calibration
    np.testing.assert_allclose(
        s["engagement_score"], 1 / (1 + np.exp(-(cal.a * margin + cal.b))), atol=1e-12, rtol=0
    )
    assert (s["feature_as_of"].to_numpy() == feats["feature_as_of"].to_numpy()).all()
    assert set(scores["model_version"]) == {artifact.model_version}


def test_rank_percentile_and_priority(scores, artifact):
    ordered = scores.sort_values(["engagement_score", "lead_id"], ascending=[False, True])
    assert ordered["score_rank"].tolist() == list(range(1, len(scores) + 1))
    assert scores["score_percentile"].between(0, 100).all()
    assert scores.loc[scores["score_rank"] == 1, "score_percentile"].iloc[0] == 100
    bounds = [t.min_score for t in artifact.card.tiers]
    labels = [t.label for t in artifact.card.tiers]
    expected = [
        labels[i - 1] for i in np.searchsorted(bounds, scores["engagement_score"], side="right")
    ]
    assert scores["priority"].tolist() == expected


def test_model_layer_equals_the_card(sample_build, artifact):
    card = artifact.card
    (row,) = sample_build.query(
        "select model_version, feature_count, members, training_rows, base_rate, "
        "calibration_a, threshold_score, gate_proceed, gate_recalibrate, "
        "trained_through from model_card"
    )
    assert row[:4] == (
        artifact.model_version,
        len(card.features),
        len(card.model.members),
        card.training.rows,
    )
    assert row[4] == card.training.base_rate and row[5] == card.calibration.a
    assert row[6] == card.threshold("target").score
    assert row[7:9] == (card.gates.proceed, card.gates.recalibrate)
    assert row[9].isoformat() == card.training.trained_through
    assert [
        r[0] for r in sample_build.query("select k from model_k_values order by k")
    ] == card.k_values
    assert sample_build.query("select label, min_score from model_tiers order by tier_order") == [
        (t.label, t.min_score) for t in card.tiers
    ]
    assert [
        r[0] for r in sample_build.query("select feature from model_features order by position")
    ] == card.feature_names
    files = dict(sample_build.query("select file_name, actual_sha256 from model_artifact"))
    sums = dict(
        reversed(line.split("  "))
        for line in (DEFAULT_ARTIFACT_DIR / "SHA256SUMS").read_text().splitlines()
    )
    assert files == sums


# --- failures: the artifact is checked before anything is scored -------------------------------


@pytest.fixture(scope="module")
def build_copy(sample_build, tmp_path_factory):
    """A copy of the sample build's database (cheaper than a new build)."""
    return DbtProject.copy_of(sample_build, tmp_path_factory.mktemp("scoring_failures"))


@pytest.fixture(scope="module")
def bad_artifact_dir(tmp_path_factory):
    """One folder for every broken artifact here, emptied per test: model_dir is a parse-time
    var (tests/dbt_in_process.py), so one path is one parse for all of them."""
    return tmp_path_factory.mktemp("bad_artifact") / "artifact"


def _tampered_copy(folder, name, edit):
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(DEFAULT_ARTIFACT_DIR, folder)
    path = folder / name
    path.write_bytes(edit(path.read_bytes()))
    return folder


@pytest.mark.parametrize(
    ("victim", "edit"),
    [
        ("model_card.json", lambda b: b.replace(b'"min_score": 0.6', b'"min_score": 0.5', 1)),
        ("tables/thresholds.jsonl", lambda b: b.replace(b'"score": 0.', b'"score": 0.1', 1)),
        ("tables/oof_predictions.jsonl", lambda b: b.replace(b'"label": 1', b'"label": 0', 1)),
        (
            "booster_0.ubj",
            lambda b: b[: len(b) // 2] + bytes([b[len(b) // 2] ^ 1]) + b[len(b) // 2 + 1 :],
        ),
    ],
)
def test_tampered_artifact_fails_the_build_naming_the_file(
    build_copy, bad_artifact_dir, victim, edit
):
    bad = _tampered_copy(bad_artifact_dir, victim, edit)
    result = build_copy.dbt(
        "run",
        "--select",
        "model_artifact",
        "lead_margins",
        check=False,
        vars={"model_dir": str(bad)},
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    # the SQL check (every adapter) and the Python scorer both name the file
    assert f"{victim} does not match SHA256SUMS" in out
    assert f"{bad / victim} has sha256" in out


def test_missing_artifact_folder_is_named_as_missing(build_copy, bad_artifact_dir):
    """A model_dir with a typo (or before any training): the message says it is not there."""
    missing = bad_artifact_dir
    shutil.rmtree(missing, ignore_errors=True)
    result = build_copy.dbt(
        "run", "--select", "model_artifact", check=False, vars={"model_dir": str(missing)}
    )
    assert result.returncode != 0
    assert f"model artifact {missing}: no SHA256SUMS there" in result.stdout + result.stderr
    assert "leadscore train" in result.stdout


def test_feature_contract_mismatch_fails_before_scoring(build_copy, artifact, bad_artifact_dir):
    """An artifact whose (validly checksummed) model expects a feature the table lacks."""
    renamed = dataclasses.replace(
        artifact.card.features[3], name=artifact.card.features[3].name + "_x"
    )
    features = [*artifact.card.features[:3], renamed, *artifact.card.features[4:]]
    card = dataclasses.replace(artifact.card, features=features)
    boosters = [b.copy() for b in artifact.boosters]
    for b in boosters:
        b.feature_names = card.feature_names
    oof = build_copy.df("select * from model_oof_predictions")
    shutil.rmtree(bad_artifact_dir, ignore_errors=True)
    save_artifact(bad_artifact_dir, boosters, card, oof)
    before = build_copy.query("select count(*) from lead_margins")[0][0]
    result = build_copy.dbt(
        "run",
        "--select",
        "lead_margins",
        check=False,
        vars={"model_dir": str(bad_artifact_dir)},
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "feature table does not match model card" in out and renamed.name in out
    assert build_copy.query("select count(*) from lead_margins")[0][0] == before


def test_an_as_of_before_the_first_lead_fails_instead_of_publishing_nothing(sample_build, tmp_path):
    """A backfill scores the leads created before its as_of: before the first, none."""
    project = DbtProject.copy_of(sample_build, tmp_path)
    result = project.dbt(
        "build",
        "--select",
        "int_feature_spine+,+lead_scores",
        "--exclude-resource-type",
        "unit_test",
        vars={"as_of": "2024-01-01"},
        check=False,
    )
    assert result.returncode != 0
    assert "Failure in test has_rows_lead_scores" in result.stdout, result.stdout[-3000:]
    assert project.query("select count(*) from lead_scores") == [(0,)]


@pytest.mark.fast
def test_sample_artifact_is_reproducible_from_its_card():
    """The shipped card documents exactly what the boosters do: same feature order, labels."""
    card = json.loads((DEFAULT_ARTIFACT_DIR / "model_card.json").read_text())
    for member in card["model"]["members"]:
        booster = xgb.Booster(model_file=str(DEFAULT_ARTIFACT_DIR / member))
        assert booster.feature_names == [f["name"] for f in card["features"]]
    assert all(f["known_before_contact"] for f in card["features"])


# --- one lead_scores and lead_reasons, whichever path computes margin and contributions ---------


def test_sql_path_gives_the_same_tables(build_copy, scores):
    """lead_scores and lead_reasons from the SQL scorer (every adapter) equal the DuckDB Python
    path's tables (XGBoost's margins and contributions)."""
    reasons_sql = "select * from lead_reasons order by lead_id"
    python_reasons = build_copy.df(reasons_sql)
    # the Python path's build has no tree tables: the SQL scorer builds them first
    scored = ("lead_scores", "lead_reasons")
    build_copy.dbt("run", "--select", *TREE_TABLES, *scored, vars={"scoring_engine": "sql"})
    sql = build_copy.df("select * from lead_scores").set_index("lead_id").sort_index()
    python = scores.set_index("lead_id").sort_index()
    assert list(sql.columns) == list(python.columns)
    assert sql.drop(columns="scored_at").equals(python.drop(columns="scored_at"))
    sql_reasons = build_copy.df(reasons_sql)
    assert len(sql_reasons) == len(python_reasons) > 0
    pd.testing.assert_frame_equal(sql_reasons, python_reasons, check_exact=False, atol=1e-6, rtol=0)


def test_reason_codes_only_for_listed_leads_and_equal_xgboost(sample_build, artifact):
    reasons = sample_build.df("select * from lead_reasons order by lead_id")
    listed = {
        r[0]
        for r in sample_build.query(
            "select lead_id from outreach_top_k union select lead_id from outreach_by_threshold "
            "union select lead_id from rollout_phase1_validation union select lead_id from rollout_phase3_production"
        )
    }
    assert set(reasons["lead_id"]) == listed and 0 < len(listed) < len(
        sample_build.query("select 1 from lead_scores")
    )
    feats = (
        sample_build.df("select * from lead_features order by lead_id")
        .set_index("lead_id")
        .loc[reasons["lead_id"]]
    )
    x = feats[artifact.feature_names].to_numpy(np.float32)
    dm = xgb.DMatrix(x, feature_names=artifact.feature_names)
    contribs = np.mean(
        [
            b.predict(dm, pred_contribs=True, approx_contribs=True).astype(np.float64)
            for b in artifact.boosters
        ],
        axis=0,
    )  # the ensemble: members' mean
    labels = {f.name: f.label for f in artifact.card.features}
    for row, c in zip(reasons.itertuples(), contribs, strict=True):
        feat = dict(zip(artifact.feature_names, c[:-1], strict=True))
        ups = sorted((v, -i, n) for i, (n, v) in enumerate(feat.items()) if v > 0)[::-1][:3]
        assert [row.reason_up_1_feature, row.reason_up_2_feature, row.reason_up_3_feature][
            : len(ups)
        ] == [n for _, _, n in ups]
        assert abs(row.reason_up_1_contribution - ups[0][0]) <= 1e-6
        assert row.reason_up_1.startswith(labels[row.reason_up_1_feature] + " (")
        assert abs(row.contribution_bias - c[-1]) <= 1e-6
    margin = (
        reasons[
            [
                f"{c}_contribution"
                for c in (
                    "reason_up_1",
                    "reason_up_2",
                    "reason_up_3",
                    "reason_down_1",
                    "reason_down_2",
                    "reason_down_3",
                )
            ]
        ]
        .fillna(0)
        .sum(axis=1)
        + reasons["contribution_other"]
        + reasons["contribution_bias"]
    )
    expected = (
        sample_build.df("select lead_id, raw_margin from lead_scores")
        .set_index("lead_id")
        .loc[reasons["lead_id"]]
    )
    np.testing.assert_allclose(margin.to_numpy(), expected["raw_margin"].to_numpy(), atol=1e-5)
