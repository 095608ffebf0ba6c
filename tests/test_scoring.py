"""Scoring inside dbt: lead_scores / active_model / lead_score_history on real dbt + DuckDB builds.

The scored build is the shared `sample_build` when the shipped artifact
(ml/artifacts/linkedin_sample) exists; otherwise a tiny artifact is trained here from the
build's lead_training_set and the project is built against it (var model_dir).
"""
import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
import xgboost as xgb

from conftest import DbtProject
from leadscore.artifact import calibrate, save_artifact
from leadscore.settings import (DEFAULT_ARTIFACT_DIR, DEFAULT_SAMPLE_DIR, LABEL_COLUMN,
                                SCORING_KEY_COLUMNS, TRAINING_KEY_COLUMNS)

_CACHE = {}

# Our models and everything upstream of them (the lead's unit tests run in sample_build).
SCORING_SELECTION = ("--select", "+lead_scores", "+active_model", "+lead_score_history",
                     "+outreach_export", "+rollout_phase3_production", "+outreach_by_threshold",
                     "+rollout_phase1_validation", "+outreach_top_k",
                     "--exclude-resource-type", "unit_test")


def _features_build(tmp_path_factory) -> DbtProject:
    """Staging + lead_features + lead_training_set only (no scoring), built once per session."""
    if "features" not in _CACHE:
        project = DbtProject(tmp_path_factory.mktemp("scoring_features"))
        project.dbt("build", "--select", "+lead_features", "+lead_training_set",
                    "--exclude-resource-type", "unit_test",
                    vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR)})
        _CACHE["features"] = project
    return _CACHE["features"]


def train_tiny_artifact(db_path, out_dir) -> Path:
    """A small but real artifact trained on a build's lead_training_set (card per the design)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        df = con.execute("select * from lead_training_set order by contact_id").df()
    names = [c for c in df.columns if c not in TRAINING_KEY_COLUMNS and c != LABEL_COLUMN]
    x = df[names].to_numpy(dtype=float)
    y = df[LABEL_COLUMN].astype(int).to_numpy()
    booster = xgb.train({"objective": "binary:logistic", "max_depth": 3, "eta": 0.3, "seed": 42,
                         "nthread": 1}, xgb.DMatrix(x, label=y, feature_names=names), 25)
    card = {
        "created_at": "2026-11-26T00:00:00Z", "xgboost_version": xgb.__version__,
        "features": [{"name": n, "type": "DOUBLE", "label": n.replace("_", " ").capitalize()}
                     for n in names],
        "training": {"table": "lead_training_set", "rows": int(len(y)),
                     "positives": int(y.sum()), "base_rate": float(y.mean())},
        "calibration": {"method": "platt", "a": 0.9, "b": 0.1},
        "threshold": {"target_precision": 0.65, "reached": True, "score": 0.5, "precision": 0.66,
                      "ci_low": 0.55, "ci_high": 0.75, "leads_selected": 50, "hits": 33},
        "threshold_conservative": {"target_precision": 0.65, "reached": True, "score": 0.6,
                                   "precision": 0.7, "ci_low": 0.6},
        "priority_tiers": {"bins": [0.6, 0.75, 0.85], "labels": ["Low", "Medium", "High", "Critical"]},
        "k_values": [5, 10, 20, 50, 100], "gates": {"proceed": 0.6, "recalibrate": 0.5},
    }
    save_artifact(out_dir, booster, card)
    return Path(out_dir)


def scoring_artifact(tmp_path_factory) -> Path:
    """The shipped artifact if present, else a tiny one trained on the sample."""
    if "artifact" not in _CACHE:
        if (DEFAULT_ARTIFACT_DIR / "model_card.json").is_file():
            _CACHE["artifact"] = DEFAULT_ARTIFACT_DIR
        else:
            feats = _features_build(tmp_path_factory)
            _CACHE["artifact"] = train_tiny_artifact(
                feats.db_path, tmp_path_factory.mktemp("tiny_artifact") / "linkedin_tiny")
    return _CACHE["artifact"]


def scored_build(request, tmp_path_factory) -> DbtProject:
    """A full build with lead_scores: sample_build, or an own build on the tiny artifact."""
    if "scored" not in _CACHE:
        art = scoring_artifact(tmp_path_factory)
        if art == DEFAULT_ARTIFACT_DIR:
            _CACHE["scored"] = request.getfixturevalue("sample_build")
        else:
            project = DbtProject(tmp_path_factory.mktemp("scoring_build"))
            project.dbt("build", *SCORING_SELECTION, vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR),
                                       "model_dir": str(art),
                                       "export_dir": str(project.workdir / "exports")})
            _CACHE["scored"] = project
    return _CACHE["scored"]


@pytest.fixture(scope="module")
def artifact_dir(tmp_path_factory):
    return scoring_artifact(tmp_path_factory)


@pytest.fixture(scope="module")
def scored(request, tmp_path_factory):
    return scored_build(request, tmp_path_factory)


@pytest.fixture(scope="module")
def scores(scored):
    return scored.df("select * from lead_scores")


@pytest.fixture(scope="module")
def card(artifact_dir):
    return json.loads((artifact_dir / "model_card.json").read_text())


def _features(project, card):
    names = [f["name"] for f in card["features"]]
    df = project.df("select * from lead_features order by lead_id")
    return df, df[names].to_numpy(dtype=float)


def test_scores_match_independent_xgboost(scored, scores, card, artifact_dir):
    feats, x = _features(scored, card)
    booster = xgb.Booster(model_file=str(artifact_dir / "booster.ubj"))
    expected = booster.inplace_predict(x)
    s = scores.set_index("lead_id").loc[feats["lead_id"]]
    assert len(scores) == len(feats)
    np.testing.assert_allclose(s["raw_score"].to_numpy(), expected, atol=1e-6, rtol=0)
    np.testing.assert_allclose(s["engagement_score"].to_numpy(),
                               calibrate(card, s["raw_score"].to_numpy()), atol=1e-12, rtol=0)
    assert (s["feature_as_of"].to_numpy() == feats["feature_as_of"].to_numpy()).all()
    assert set(scores["model_version"]) == {card["model_version"]}


def test_rank_percentile_and_priority(scores, card):
    ordered = scores.sort_values(["engagement_score", "lead_id"], ascending=[False, True])
    assert ordered["score_rank"].tolist() == list(range(1, len(scores) + 1))
    assert scores["score_percentile"].between(0, 100).all()
    assert scores.loc[scores["score_rank"] == 1, "score_percentile"].iloc[0] == 100
    bins = card["priority_tiers"]["bins"]
    labels = card["priority_tiers"]["labels"]
    expected = [labels[i] for i in np.searchsorted(bins, scores["engagement_score"], side="right")]
    assert scores["priority"].tolist() == expected


def test_reason_contributions_add_up_to_margin(scores, card):
    contrib_cols = [c for c in scores.columns if c.endswith("_contribution")]
    assert len(contrib_cols) == 6
    total = (scores[contrib_cols].fillna(0).sum(axis=1) + scores["contribution_other"]
             + scores["contribution_bias"])
    raw = scores["raw_score"].clip(1e-12, 1 - 1e-12)
    np.testing.assert_allclose(total, np.log(raw / (1 - raw)), atol=1e-4)
    names = {f["name"] for f in card["features"]}
    labels = {f["name"]: f.get("label") or f["name"] for f in card["features"]}
    for i in (1, 2, 3):
        up, down = scores[f"reason_up_{i}_contribution"], scores[f"reason_down_{i}_contribution"]
        assert (up.dropna() > 0).all() and (down.dropna() < 0).all()
        feat = scores[f"reason_up_{i}_feature"].dropna()
        assert set(feat) <= names
        # text = "<label> (<value>)"
        row = scores[scores[f"reason_up_{i}"].notna()].iloc[0]
        assert row[f"reason_up_{i}"].startswith(labels[row[f"reason_up_{i}_feature"]] + " (")
    assert (scores["reason_up_1_contribution"].fillna(0) >= scores["reason_up_2_contribution"].fillna(0)).all()
    assert (scores["reason_down_1_contribution"].fillna(0) <= scores["reason_down_2_contribution"].fillna(0)).all()


def test_active_model_row_comes_from_card(scored, card):
    row = scored.df("select * from active_model")
    assert len(row) == 1
    r = row.iloc[0]
    assert r["model_version"] == card["model_version"]
    assert r["feature_count"] == len(card["features"])
    assert r["threshold_score"] == pytest.approx(card["threshold"]["score"])
    assert r["gate_proceed"] == pytest.approx(card["gates"]["proceed"])
    assert r["k_values"] == ",".join(str(k) for k in card["k_values"])


# --- failures: the artifact is checked before anything is scored -------------------------------

@pytest.fixture(scope="module")
def features_only(scored, tmp_path_factory):
    """A copy of the scored build's database without lead_scores (cheaper than a new build)."""
    project = DbtProject(tmp_path_factory.mktemp("scoring_failures"))
    shutil.copyfile(scored.db_path, project.db_path)
    with duckdb.connect(str(project.db_path)) as con:
        con.execute("drop table lead_scores")
    return project


def _no_scores_table(project):
    rows = project.query("select count(*) from information_schema.tables where table_name = 'lead_scores'")
    return rows[0][0] == 0


def test_tampered_booster_fails_build(features_only, artifact_dir, tmp_path):
    bad = tmp_path / "tampered"
    shutil.copytree(artifact_dir, bad)
    data = bytearray((bad / "booster.ubj").read_bytes())
    data[len(data) // 2] ^= 0x01
    (bad / "booster.ubj").write_bytes(bytes(data))
    result = features_only.dbt("run", "--select", "lead_scores", check=False,
                               vars={"model_dir": str(bad)})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "integrity check failed" in out and "sha256" in out
    assert _no_scores_table(features_only)


def test_feature_contract_mismatch_fails_build(features_only, artifact_dir, tmp_path):
    # An artifact whose (validly hashed) model expects a feature the table does not have.
    card = json.loads((artifact_dir / "model_card.json").read_text())
    booster = xgb.Booster(model_file=str(artifact_dir / "booster.ubj"))
    renamed = dict(card["features"][3], name=card["features"][3]["name"] + "_renamed")
    card["features"] = card["features"][:3] + [renamed] + card["features"][4:]
    booster.feature_names = [f["name"] for f in card["features"]]
    out_dir = save_artifact(tmp_path / "renamed", booster, card) and tmp_path / "renamed"
    result = features_only.dbt("run", "--select", "lead_scores", check=False,
                               vars={"model_dir": str(out_dir)})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "feature table does not match model" in out
    assert renamed["name"] in out
    assert _no_scores_table(features_only)
