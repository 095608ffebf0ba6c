"""`leadscore train` on a real DuckDB file with a synthetic lead_training_set."""
import json
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from leadscore import train as train_mod
from leadscore.cli import main as cli_main
from leadscore.errors import UserError


def synthetic_training_set(n=400, seed=0):
    rng = np.random.default_rng(seed)
    x1, x2, x3 = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    y = rng.random(n) < 1 / (1 + np.exp(-(-0.8 + 1.5 * x1 + 0.8 * x2)))
    x3[rng.random(n) < 0.2] = np.nan
    order = rng.permutation(n)  # physical order is shuffled: training must not depend on it
    return pd.DataFrame({
        "contact_id": [f"c{i:04d}" for i in order],
        "lead_id": [f"l{i % (n * 3 // 4):04d}" for i in order],
        "feature_as_of": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        "seniority_rank": x1, "mutual_connections": np.round(np.exp(x2)), "noise": x3,
        "responded": y})


def write_db(path, df, comments=None):
    con = duckdb.connect(str(path))
    con.register("d", df)
    con.execute("create table lead_training_set as select * from d")
    for col, text in (comments or {}).items():
        con.execute(f"comment on column lead_training_set.{col} is '{text}'")
    con.close()
    return path


COMMENTS = {"seniority_rank": "Seniority of the current role. Ranked from entry to owner.",
            "mutual_connections": "Mutual connections with the sender"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    db = write_db(tmp / "wh.duckdb", synthetic_training_set(), COMMENTS)
    out = tmp / "model_a"
    rc = cli_main(["train", "--db", str(db), "--out", str(out), "--baseline"])
    assert rc == 0
    return db, out, json.loads((out / "model_card.json").read_text())


def test_card_fields_and_labels(trained):
    _, out, card = trained
    assert [f["name"] for f in card["features"]] == ["seniority_rank", "mutual_connections", "noise"]
    assert [f["label"] for f in card["features"]] == [
        "Seniority of the current role", "Mutual connections with the sender", "noise"]
    assert card["model_version"] == "model_a-" + card["booster_sha256"][:10]
    assert card["training"]["rows"] == 400 and card["k_values"] == [5, 10, 20, 50, 100]
    assert card["priority_tiers"] == {"bins": [0.6, 0.75, 0.85], "labels": ["Low", "Medium", "High", "Critical"]}
    assert card["gates"] == {"proceed": 0.6, "recalibrate": 0.5}
    assert card["search"] == "none" and card["cv"]["folds"] == 5
    assert card["calibration"]["method"] in ("platt", "none")
    assert len(card["cv"]["baseline_logreg"]["precision_at_fraction"]) == 4
    assert card["cv"]["roc_auc"] > 0.7


def test_cv_table_matches_independent_recomputation(trained):
    _, out, card = trained
    oof = pd.read_csv(out / "oof_predictions.csv", dtype={"lead_id": str, "contact_id": str})
    assert len(oof) == 400 and sorted(oof["fold"].unique()) == [1, 2, 3, 4, 5]
    ranked = oof.sort_values(["score", "lead_id", "contact_id"], ascending=[False, True, True])
    base = oof["label"].mean()
    for row in card["cv"]["precision_at_k"]:
        top = ranked.head(row["k"])
        assert row["n"] == len(top)
        assert row["hits"] == int(top["label"].sum())
        assert row["precision"] == pytest.approx(top["label"].mean())
        assert row["lift"] == pytest.approx(top["label"].mean() / base)
        assert row["min_score"] == top["score"].min()
    t = card["threshold"]
    sel = oof[oof["score"] >= t["score"]]
    assert t["leads_selected"] == len(sel) and t["hits"] == int(sel["label"].sum())
    if card["calibration"]["method"] == "platt":
        a, b = card["calibration"]["a"], card["calibration"]["b"]
        r = oof["raw_score"].clip(1e-7, 1 - 1e-7)
        np.testing.assert_allclose(oof["score"], 1 / (1 + np.exp(-(a * np.log(r / (1 - r)) + b))))


def test_same_seed_same_booster(trained, tmp_path):
    db, out, card = trained
    assert cli_main(["train", "--db", str(db), "--out", str(tmp_path / "model_a")]) == 0
    again = json.loads((tmp_path / "model_a" / "model_card.json").read_text())
    assert again["booster_sha256"] == card["booster_sha256"]
    assert again["training"]["data_fingerprint"] == card["training"]["data_fingerprint"]
    assert (tmp_path / "model_a" / "booster.ubj").read_bytes() == (out / "booster.ubj").read_bytes()


def test_no_pickle_and_fresh_process_loads_booster(trained):
    _, out, card = trained
    names = {p.name for p in out.iterdir()}
    assert names == {"booster.ubj", "model_card.json", "oof_predictions.csv"}
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)
    code = ("import sys, numpy as np, xgboost as xgb; b = xgb.Booster(); "
            "b.load_model(sys.argv[1]); "
            "p = b.predict(xgb.DMatrix(np.zeros((2, 3)), feature_names=b.feature_names)); "
            "print(b.feature_names, p.shape)")
    res = subprocess.run([sys.executable, "-c", code, str(out / "booster.ubj")],
                         capture_output=True, text=True, check=True)
    assert "seniority_rank" in res.stdout and "(2,)" in res.stdout


def _refusal(tmp_path, df, match, **kw):
    db = write_db(tmp_path / "wh.duckdb", df)
    out = tmp_path / "out"
    with pytest.raises(UserError, match=match):
        train_mod.train(db, out=out, echo=lambda *a: None, **kw)
    assert not out.exists()


def test_refuses_one_class(tmp_path):
    _refusal(tmp_path, synthetic_training_set().assign(responded=False), "only one class")


def test_refuses_too_few_positives(tmp_path):
    df = synthetic_training_set()
    pos = df.index[df["responded"]]
    df.loc[pos[45:], "responded"] = False  # 45 positives < 10 per fold x 5 folds
    _refusal(tmp_path, df, "too few examples: 45 positives")


def test_refuses_non_numeric_feature(tmp_path):
    _refusal(tmp_path, synthetic_training_set().assign(country="Germany"),
             r"non-numeric feature column\(s\) in lead_training_set: country \(VARCHAR\)")


def test_refuses_missing_label(tmp_path):
    _refusal(tmp_path, synthetic_training_set().drop(columns="responded"),
             "lacks required column\\(s\\): responded")


def test_refuses_empty_table(tmp_path):
    _refusal(tmp_path, synthetic_training_set().iloc[:0], "is empty")


def test_refuses_missing_table_and_db(tmp_path):
    db = tmp_path / "wh.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(UserError, match="lead_training_set not found .*run dbt build first"):
        train_mod.train(db, out=tmp_path / "out", echo=lambda *a: None)
    with pytest.raises(UserError, match="warehouse not found.*run dbt build first"):
        train_mod.train(tmp_path / "nope.duckdb", out=tmp_path / "out", echo=lambda *a: None)


def test_leakage_guard(tmp_path):
    df = synthetic_training_set()
    rng = np.random.default_rng(1)
    df["reply_count_after"] = df["responded"].astype(float) + rng.normal(0, 0.3, len(df))
    _refusal(tmp_path, df, r"possible label leakage: .*reply_count_after \(AUC 0\.9")
    # --allow-leaky trains and records the leaky feature in the card
    db = tmp_path / "wh.duckdb"
    card = train_mod.train(db, out=tmp_path / "leaky", allow_leaky=True, echo=lambda *a: None)
    assert "reply_count_after" in card["leakage_guard"]["leaky_features"]
    assert card["leakage_guard"]["allow_leaky"] is True


def test_cli_exit_code_2_on_refusal(tmp_path, capsys):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set().assign(responded=True))
    assert cli_main(["train", "--db", str(db), "--out", str(tmp_path / "o")]) == 2
    assert "only one class" in capsys.readouterr().err


def test_first_sentence_label():
    assert train_mod.first_sentence("Seniority rank. From 1 to 10.", "x") == "Seniority rank"
    assert train_mod.first_sentence("Share of e.g. clicks per open.", "x") == "Share of e.g"
    assert train_mod.first_sentence("Clicks per open.", "x") == "Clicks per open"
    assert train_mod.first_sentence(None, "email_click_rate") == "email_click_rate"
    assert train_mod.first_sentence("  ", "x") == "x"


def test_search_nested_cv_recorded(tmp_path):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set(n=300, seed=3))
    card = train_mod.train(db, out=tmp_path / "m", search=True, echo=lambda *a: None)
    assert card["search"]["method"] == "grid, nested cross-validation"
    assert len(card["search"]["outer_fold_params"]) == 5
    assert card["params_source"] == "grid search (nested CV)"
    for key, value in card["search"]["final_params"].items():
        assert card["params"][key] == value


def test_oof_scores_round_trip_through_duckdb_text_cast(trained):
    """dbt reads oof_predictions.csv as text and casts: the SQL top-K must see the same scores."""
    _, out, card = trained
    con = duckdb.connect()
    rows = con.execute(
        "select cast(score as double) s, cast(label as integer) y from read_csv(?, all_varchar = true, "
        "header = true) order by s desc, lead_id, contact_id limit 20", [str(out / "oof_predictions.csv")]
    ).fetchall()
    con.close()
    row20 = next(r for r in card["cv"]["precision_at_k"] if r["k"] == 20)
    assert rows[-1][0] == row20["min_score"]
    assert sum(r[1] for r in rows) == row20["hits"]


def test_folds_grouped_by_lead(tmp_path):
    """Leads contacted 2-3 times: all their contacts sit in one fold (no lead in train and test)."""
    df = synthetic_training_set(n=400, seed=5)
    rng = np.random.default_rng(7)
    sizes = rng.choice([1, 2, 3], size=400, p=[0.5, 0.3, 0.2])
    df["lead_id"] = [f"l{i:04d}" for i in np.repeat(np.arange(400), sizes)[:400]]
    per_lead = df.groupby("lead_id").size()
    assert (per_lead >= 2).sum() > 50 and per_lead.max() == 3
    db = write_db(tmp_path / "wh.duckdb", df)
    card = train_mod.train(db, out=tmp_path / "m", echo=lambda *a: None)
    oof = pd.read_csv(tmp_path / "m" / "oof_predictions.csv", dtype={"lead_id": str, "contact_id": str})
    assert len(oof) == 400 and sorted(oof["fold"].unique()) == [1, 2, 3, 4, 5]
    assert oof.groupby("lead_id")["fold"].nunique().max() == 1
    assert card["cv"]["fold_grouping"] == "lead_id" and card["cv"]["leads"] == per_lead.size
    counts = card["cv"]["fold_counts"]
    assert [c["rows"] for c in counts] == [int((oof["fold"] == f).sum()) for f in range(1, 6)]
    assert all(min(c["positives"], c["negatives"]) >= 10 for c in counts)
    assert "optimistic" in card["threshold"]["selection_note"]
    assert card["threshold"]["contacts_selected"] == card["threshold"]["leads_selected"]
    # deterministic: the physical row order of the table does not change the folds
    db2 = write_db(tmp_path / "wh2.duckdb", df.iloc[::-1].reset_index(drop=True))
    train_mod.train(db2, out=tmp_path / "m2", echo=lambda *a: None)
    oof2 = pd.read_csv(tmp_path / "m2" / "oof_predictions.csv", dtype={"lead_id": str, "contact_id": str})
    pd.testing.assert_frame_equal(oof, oof2)


def test_refuses_when_grouped_folds_are_too_thin(tmp_path):
    """Enough positives overall, but one lead holds most of them: some grouped fold gets < 10."""
    rng = np.random.default_rng(2)
    lead = np.repeat([f"l{i}" for i in range(6)], 80)
    y = np.zeros(480, dtype=bool)
    y[:60] = True  # lead l0: 60 of its 80 contacts responded
    for i in range(1, 6):
        y[i * 80: i * 80 + 5] = True  # the other leads: 5 each
    df = pd.DataFrame({"contact_id": [f"c{i:04d}" for i in range(480)], "lead_id": lead,
                       "feature_as_of": pd.Timestamp("2026-01-01"),
                       "x": rng.normal(size=480), "responded": y})
    _refusal(tmp_path, df, r"too few examples per fold: .*grouped by lead_id")
    (tmp_path / "few_leads").mkdir()
    _refusal(tmp_path / "few_leads", df.assign(lead_id=np.repeat(["a", "b", "c", "d"], 120)),
             "too few leads: 4 distinct lead_id")


def test_threshold_line_labels_the_interval_truthfully():
    t = {"target_precision": 0.65, "criterion": "precision", "reached": True, "score": 0.5,
         "contacts_selected": 20, "leads_selected": 20, "share_selected": 0.1, "hits": 14,
         "precision": 0.7, "ci_low": 0.48, "ci_high": 0.85, "expected_responses": 13.4}
    line = train_mod.format_threshold(t, "Threshold")
    assert "selects 20 contacts" in line
    assert "expected responses 13.4 (sum of calibrated scores)" in line
    assert "at the observed precision's 95% interval: 9.6 - 17.0 responses" in line
    assert "95% CI 9.6" not in line
    assert "uncalibrated" in train_mod.format_threshold(t, "Threshold", calibrated=False)
