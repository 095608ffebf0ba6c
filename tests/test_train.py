"""`leadscore train` on a real DuckDB file with a synthetic lead_training_set."""

import json
import re
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest

from leadscore import card as cardmod
from leadscore import settings
from leadscore import train as train_mod
from leadscore.artifact import load_artifact
from leadscore.card import Threshold
from leadscore.cli import main as cli_main
from leadscore.errors import UserError

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def synthetic_training_set(n=400, seed=0):
    rng = np.random.default_rng(seed)
    x1, x2, x3 = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    y = rng.random(n) < 1 / (1 + np.exp(-(-0.8 + 1.5 * x1 + 0.8 * x2)))
    x3[rng.random(n) < 0.2] = np.nan
    order = rng.permutation(n)  # physical order is shuffled: training must not depend on it
    return pd.DataFrame(
        {
            "contact_id": [f"c{i:04d}" for i in order],
            "lead_id": [f"l{i % (n * 3 // 4):04d}" for i in order],
            "feature_as_of": pd.Timestamp("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
            "seniority_rank": x1,
            "mutual_connections": np.round(np.exp(x2)),
            "noise": x3,
            "responded": y,
        }
    )


def write_db(path, df, comments=None, undeclared=()):
    """The training table in a DuckDB file, and beside it the target/ of a successful dbt build:
    manifest.json documenting its features the way dbt does (description;
    meta.known_before_contact unless undeclared) and run_results.json."""
    con = duckdb.connect(str(path))
    con.register("d", df)
    con.execute("create table lead_training_set as select * from d")
    # what the engine's on-run-start hook record_build_invocation writes
    con.execute(
        "create table leadscore_build_invocation as select ? as invocation_id", [INVOCATION]
    )
    con.close()
    keys = {"contact_id", "lead_id", "feature_as_of", "responded"}
    columns = {
        c: {
            "description": (comments or {}).get(c, ""),
            "meta": {} if c in undeclared else {"known_before_contact": True},
        }
        for c in df.columns
        if c not in keys
    }
    manifest = manifest_of(path)
    manifest.parent.mkdir(exist_ok=True)
    metadata = {"invocation_id": INVOCATION}
    write_run_results(path, metadata, "success")
    manifest.write_text(
        json.dumps(
            {
                "metadata": metadata,
                "nodes": {
                    "model.p.input_lead_training_set": {
                        "resource_type": "model",
                        "name": "input_lead_training_set",
                        "columns": columns,
                    }
                },
            }
        )
    )
    return path


INVOCATION = "b1d0e5a7-0000-4000-8000-000000000001"


def manifest_of(db):
    return db.parent / "target" / "manifest.json"


def write_run_results(db, metadata, status, which="build"):
    """run_results.json of a dbt run that built input_lead_training_set with `status`."""
    node = {"unique_id": "model.p.input_lead_training_set", "status": status}
    run_results = {"metadata": metadata, "args": {"which": which}, "results": [node]}
    manifest_of(db).with_name("run_results.json").write_text(json.dumps(run_results))


# The synthetic set's seniority_rank is as strong as a planted leak; declaring it known before
# contact is what a user with such a feature does (test_leakage_guard checks the refusal).
STRONG_FEATURE = ("seniority_rank",)


def run_train(db, **kw):
    kw.setdefault("allow_features", STRONG_FEATURE)
    return train_mod.train(db, manifest=manifest_of(db), echo=lambda *a: None, **kw)


def cli_train(db, out, *extra):
    return cli_main(
        [
            "train",
            "--db",
            str(db),
            "--target-path",
            str(manifest_of(db).parent),
            "--out",
            str(out),
            "--allow-feature",
            STRONG_FEATURE[0],
            *extra,
        ]
    )


COMMENTS = {
    "seniority_rank": "Seniority of the current role. Ranked from entry to owner.",
    "mutual_connections": "Mutual connections with the sender",
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train")
    db = write_db(tmp / "wh.duckdb", synthetic_training_set(), COMMENTS)
    out = tmp / "model_a"
    assert cli_train(db, out, "--baseline") == 0
    return db, out, json.loads((out / "model_card.json").read_text())


def test_card_fields_and_labels(trained):
    _, out, card = trained
    assert [f["name"] for f in card["features"]] == [
        "seniority_rank",
        "mutual_connections",
        "noise",
    ]
    assert [f["label"] for f in card["features"]] == [
        "Seniority of the current role",
        "Mutual connections with the sender",
        "noise",
    ]
    assert card["name"] == "model_a" and load_artifact(out).model_version.startswith("model_a-")
    assert card["training"]["rows"] == 400 and card["k_values"] == [5, 10, 20, 50, 100]
    # no --tiers: the (LinkedIn) project's var tier_min_scores
    assert [(t["label"], t["min_score"]) for t in card["tiers"]] == [
        ("Low", 0.0),
        ("Medium", 0.6),
        ("High", 0.75),
        ("Critical", 0.85),
    ]
    assert card["tier_rule"] == "var tier_min_scores"
    assert card["gates"] == {"proceed": 0.6, "recalibrate": 0.5, "rule": "var rollout_gates"}
    assert card["target_rule"] == "var target_precision"
    assert {t["target_precision"] for t in card["thresholds"]} == {0.65}
    assert card["validation"]["details"]["search"] == "none" and card["validation"]["folds"] == 5
    assert card["calibration"]["method"] in ("platt", "none")
    assert len(card["validation"]["details"]["baseline_logreg"]["precision_at_fraction"]) == 4
    assert card["validation"]["roc_auc"] > 0.7


def test_undeclared_features_are_refused(tmp_path):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set(), undeclared=("noise",))
    with pytest.raises(UserError, match=r"do not declare meta\.known_before_contact .*: noise"):
        run_train(db, out=tmp_path / "out")


def read_oof(out):
    return pd.read_json(
        out / "tables" / "oof_predictions.jsonl",
        lines=True,
        precise_float=True,
        dtype={"lead_id": str, "contact_id": str},
    )


def test_cv_table_matches_independent_recomputation(trained):
    _, out, card = trained
    oof = read_oof(out)
    assert len(oof) == 400 and sorted(oof["fold"].unique()) == [1, 2, 3, 4, 5]
    ranked = oof.sort_values(["score", "lead_id", "contact_id"], ascending=[False, True, True])
    base = oof["label"].mean()
    for row in card["validation"]["precision_at_k"]:
        top = ranked.head(row["k"])
        assert row["n"] == len(top)
        assert row["hits"] == int(top["label"].sum())
        assert row["precision"] == pytest.approx(top["label"].mean())
        assert row["lift"] == pytest.approx(top["label"].mean() / base)
        assert row["min_score"] == top["score"].min()
    t = next(t for t in card["thresholds"] if t["rule"] == "target")
    sel = oof[oof["score"] >= t["score"]]
    assert t["contacts_selected"] == len(sel) and t["hits"] == int(sel["label"].sum())
    a, b = card["calibration"]["a"], card["calibration"]["b"]
    r = oof["raw_score"]
    np.testing.assert_allclose(
        oof["score"], 1 / (1 + np.exp(-(a * np.log(r / (1 - r)) + b))), rtol=1e-9
    )


def test_same_seed_same_booster(trained, tmp_path):
    db, out, card = trained
    assert cli_train(db, tmp_path / "model_a") == 0
    again = json.loads((tmp_path / "model_a" / "model_card.json").read_text())
    assert again["training"]["data_fingerprint"] == card["training"]["data_fingerprint"]
    for booster in card["model"]["members"]:
        assert (tmp_path / "model_a" / booster).read_bytes() == (out / booster).read_bytes()


def test_no_pickle_and_fresh_process_loads_booster(trained):
    _, out, card = trained
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert {"model_card.json", "SHA256SUMS", "tables/oof_predictions.jsonl"} <= names
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)
    code = (
        "import sys, numpy as np, xgboost as xgb; b = xgb.Booster(); "
        "b.load_model(sys.argv[1]); "
        "p = b.predict(xgb.DMatrix(np.zeros((2, 3)), feature_names=b.feature_names)); "
        "print(b.feature_names, p.shape)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(out / card["model"]["members"][0])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "seniority_rank" in res.stdout and "(2,)" in res.stdout


def _refusal(tmp_path, df, match, **kw):
    db = write_db(tmp_path / "wh.duckdb", df)
    out = tmp_path / "out"
    with pytest.raises(UserError, match=match):
        run_train(db, out=out, **kw)
    assert not out.exists()


def test_refuses_one_class(tmp_path):
    _refusal(tmp_path, synthetic_training_set().assign(responded=False), "only one class")


def test_refuses_too_few_positives(tmp_path):
    df = synthetic_training_set()
    pos = df.index[df["responded"]]
    df.loc[pos[45:], "responded"] = False  # 45 positives < 10 per fold x 5 folds
    _refusal(tmp_path, df, "too few examples: 45 positives")


def test_refuses_non_numeric_feature(tmp_path):
    _refusal(
        tmp_path,
        synthetic_training_set().assign(country="Germany"),
        r"non-numeric feature column\(s\) in lead_training_set: country \(VARCHAR\)",
    )


def test_refuses_missing_label(tmp_path):
    _refusal(
        tmp_path,
        synthetic_training_set().drop(columns="responded"),
        "lacks required column\\(s\\): responded",
    )


def test_refuses_empty_table(tmp_path):
    _refusal(tmp_path, synthetic_training_set().iloc[:0], "is empty")


def test_refuses_missing_table_and_db(tmp_path):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set())
    with duckdb.connect(str(db)) as con:  # a successful build that made no such table
        con.execute("drop table lead_training_set")
    with pytest.raises(UserError, match=r"lead_training_set not found .*run dbt build first"):
        run_train(db, out=tmp_path / "out")
    with pytest.raises(UserError, match=r"warehouse not found.*run dbt build first"):
        run_train(tmp_path / "nope.duckdb", out=tmp_path / "out")


def test_leakage_guard(tmp_path):
    df = synthetic_training_set()
    rng = np.random.default_rng(1)
    df["reply_count_after"] = df["responded"].astype(float) + rng.normal(0, 0.3, len(df))
    _refusal(tmp_path, df, r"possible label leakage: .*reply_count_after \(AUC 0\.9")
    # --allow-leaky trains and records the leaky feature in the card
    db = tmp_path / "wh.duckdb"
    card = run_train(db, out=tmp_path / "leaky", allow_leaky=True, repeats=1)
    assert "reply_count_after" in card.leakage["leaky_features"]
    assert card.leakage["allow_leaky"] is True


def test_cli_exit_code_2_on_refusal(tmp_path, capsys):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set().assign(responded=True))
    assert cli_train(db, tmp_path / "o") == 2
    assert "only one class" in capsys.readouterr().err
    # a seed numpy and XGBoost cannot take: refused naming the flag, not a traceback
    assert cli_train(db, tmp_path / "o", "--seed", "-1") == 2
    assert (
        "--seed must be between 0 and 4294967291 (2^32 - --repeats), got -1"
        in capsys.readouterr().err
    )
    # repetition r uses seed + r: the last repetition's seed must fit too
    assert cli_train(db, tmp_path / "o", "--seed", "4294967292") == 2
    assert "got 4294967292" in capsys.readouterr().err
    # --out: never a file, nor a folder of other things to write the model into
    (tmp_path / "a_file").write_text("mine")
    assert cli_train(db, tmp_path / "a_file") == 2
    assert "is a file: the artifact is a folder" in capsys.readouterr().err
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    assert cli_train(db, tmp_path / "notes") == 2
    assert "holds other files and no SHA256SUMS: it is not a model" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["todo.txt"]


def test_trains_only_after_a_successful_dbt_build(tmp_path, capsys):
    """A build that failed a data test leaves its tables in the build database: training on
    them is refused (exit 2, no artifact), as is a target/ whose last run was not a build."""
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set())
    metadata = json.loads(manifest_of(db).read_text())["metadata"]
    cases = [
        ("fail", "build", r"dbt build did not succeed: .*input_lead_training_set \(fail\)"),
        ("success", "run-operation", r"`dbt run-operation`, not `dbt build`: train only after"),
    ]
    for status, which, message in cases:
        write_run_results(db, metadata, status, which)
        assert cli_train(db, tmp_path / "out", "--repeats", "1") == 2
        err = capsys.readouterr().err
        assert re.search(message, err) and "Traceback" not in err, err
        assert not (tmp_path / "out").exists()
    # a later build of the table alone, over what a failed build left (--select without +)
    write_run_results(db, metadata, "success")
    manifest = json.loads(manifest_of(db).read_text())
    manifest["nodes"]["model.p.lead_training_set"] = {
        "resource_type": "model",
        "name": "lead_training_set",
        "depends_on": {"nodes": ["model.p.stg_leads"]},
    }
    manifest["nodes"]["model.p.stg_leads"] = {"resource_type": "model", "name": "stg_leads"}
    manifest_of(db).write_text(json.dumps(manifest))
    run_results = json.loads(manifest_of(db).with_name("run_results.json").read_text())
    run_results["results"].append({"unique_id": "model.p.lead_training_set", "status": "success"})
    manifest_of(db).with_name("run_results.json").write_text(json.dumps(run_results))
    assert cli_train(db, tmp_path / "out", "--repeats", "1") == 2
    err = capsys.readouterr().err
    assert "did not run in this dbt build (was it run with --select?): model.p.stg_leads" in err
    run_results["results"].append({"unique_id": "model.p.stg_leads", "status": "success"})
    manifest_of(db).with_name("run_results.json").write_text(json.dumps(run_results))
    # the database written by another dbt run than the one whose results are read
    with duckdb.connect(str(db)) as con:
        con.execute("update leadscore_build_invocation set invocation_id = 'another-run'")
    assert cli_train(db, tmp_path / "out", "--repeats", "1") == 2
    assert "was last written by dbt invocation another-run" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    manifest_of(db).with_name("run_results.json").unlink()
    assert cli_train(db, tmp_path / "out") == 2
    assert "dbt run results not found" in capsys.readouterr().err


def test_features_no_tree_can_use_are_named(tmp_path, capsys):
    """A feature NULL or constant in every training row trains, with a warning naming it."""
    df = synthetic_training_set().assign(lost_column=np.nan, always_one=1.0)
    run_train(write_db(tmp_path / "wh.duckdb", df), out=tmp_path / "out", repeats=1)
    err = capsys.readouterr().err
    assert "WARNING: feature lost_column is NULL in every training row" in err
    assert "WARNING: feature always_one is 1 in every training row" in err
    assert "noise" not in err  # NULL in a fifth of the rows: a feature like any other


def test_first_sentence_label():
    assert train_mod.first_sentence("Seniority rank. From 1 to 10.", "x") == "Seniority rank"
    assert train_mod.first_sentence("Share of e.g. clicks per open.", "x") == "Share of e.g"
    assert train_mod.first_sentence("Clicks per open.", "x") == "Clicks per open"
    assert train_mod.first_sentence(None, "email_click_rate") == "email_click_rate"
    assert train_mod.first_sentence("  ", "x") == "x"


def test_search_nested_cv_recorded(tmp_path):
    db = write_db(tmp_path / "wh.duckdb", synthetic_training_set(n=300, seed=3))
    card = run_train(db, out=tmp_path / "m", search=True, repeats=1)
    search = card.validation.details["search"]
    assert search["method"] == "grid, nested: chosen per fold booster on its training rows"
    assert len(search["booster_params"]) == 5 and len(card.model.members) == 5
    assert card.model.params_source.startswith("grid search (nested, per fold booster")
    grid = [dict(g) for g in train_mod.SEARCH_GRID]
    assert all(
        {k: v for k, v in p.items() if k != "inner_log_loss"} in grid
        for p in search["booster_params"]
    )


def test_oof_scores_round_trip_through_duckdb_json(trained):
    """dbt reads tables/oof_predictions.jsonl: the SQL top-K must see exactly the card's scores."""
    _, out, card = trained
    con = duckdb.connect()
    rows = con.execute(
        "select cast(score as double) s, cast(label as integer) y from read_json(?, "
        "format = 'newline_delimited') order by s desc, lead_id, contact_id limit 20",
        [str(out / "tables" / "oof_predictions.jsonl")],
    ).fetchall()
    con.close()
    row20 = next(r for r in card["validation"]["precision_at_k"] if r["k"] == 20)
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
    card = run_train(db, out=tmp_path / "m", repeats=2).to_dict()
    oof = read_oof(tmp_path / "m")
    assert len(oof) == 400 and sorted(oof["fold"].unique()) == [1, 2, 3, 4, 5]
    assert oof.groupby("lead_id")["fold"].nunique().max() == 1
    assert (
        card["validation"]["fold_grouping"] == "lead_id"
        and card["training"]["leads"] == per_lead.size
    )
    counts = card["validation"]["details"]["fold_counts"]
    assert [c["rows"] for c in counts] == [int((oof["fold"] == f).sum()) for f in range(1, 6)]
    assert all(min(c["positives"], c["negatives"]) >= 10 for c in counts)
    assert "target + 0.1" in card["thresholds"][0]["note"]
    # deterministic: the physical row order of the table does not change the folds
    db2 = write_db(tmp_path / "wh2.duckdb", df.iloc[::-1].reset_index(drop=True))
    run_train(db2, out=tmp_path / "m2", repeats=2)  # a second repetition's folds too
    oof2 = read_oof(tmp_path / "m2")
    pd.testing.assert_frame_equal(oof, oof2)


def test_refuses_when_grouped_folds_are_too_thin(tmp_path):
    """Enough positives overall, but one lead holds most of them: some grouped fold gets < 10."""
    rng = np.random.default_rng(2)
    lead = np.repeat([f"l{i}" for i in range(6)], 80)
    y = np.zeros(480, dtype=bool)
    y[:60] = True  # lead l0: 60 of its 80 contacts responded
    for i in range(1, 6):
        y[i * 80 : i * 80 + 5] = True  # the other leads: 5 each
    df = pd.DataFrame(
        {
            "contact_id": [f"c{i:04d}" for i in range(480)],
            "lead_id": lead,
            "feature_as_of": pd.Timestamp("2026-01-01"),
            "x": rng.normal(size=480),
            "responded": y,
        }
    )
    _refusal(tmp_path, df, r"too few examples per fold: .*grouped by lead_id")
    (tmp_path / "few_leads").mkdir()
    _refusal(
        tmp_path / "few_leads",
        df.assign(lead_id=np.repeat(["a", "b", "c", "d"], 120)),
        "too few leads: 4 distinct lead_id",
    )


def test_threshold_line_labels_the_interval_truthfully():
    t = Threshold(
        rule="target",
        target_precision=0.65,
        reached=True,
        score=0.5,
        contacts_selected=20,
        share_selected=0.1,
        hits=14,
        precision=0.7,
        ci_low=0.48,
        ci_high=0.85,
        expected_responses=13.4,
        note="a rule",
    )
    line = train_mod.format_threshold(t, "Threshold")
    assert "selects 20 contacts" in line
    assert "expected responses 13.4 (sum of calibrated scores)" in line
    assert "at the observed precision's 95% interval: 9.6 - 17.0 responses" in line
    assert "95% CI 9.6" not in line
    assert "uncalibrated" in train_mod.format_threshold(t, "Threshold", calibrated=False)


def test_tiers_gates_and_target_derived_from_the_base_rate_or_given(trained, tmp_path):
    """A project without the vars tier_min_scores / rollout_gates / target_precision gets the
    LinkedIn playbook's (tiers 0.6 / 0.75 / 0.85, gates 0.6 / 0.5, target 0.65 at a 40% base
    rate) carried to its base rate by odds: 0.36 here; flags override; bad values are refused
    before any cross-validation."""
    db, _, _ = trained
    (tmp_path / "dbt_project.yml").write_text("name: other_input\nvars: {}\n")
    card = run_train(db, out=tmp_path / "derived", project_dir=tmp_path, repeats=1)
    assert card.training.base_rate == pytest.approx(0.36)
    assert [t.min_score for t in card.tiers] == [0.0, 0.56, 0.72, 0.83]
    assert (card.gates.proceed, card.gates.recalibrate) == (0.56, 0.46)
    assert card.threshold("target").target_precision == 0.61
    rule = "derived: the LinkedIn playbook's at its 40% base rate, carried to the base rate 0.360"
    assert card.tier_rule.startswith(rule) and card.gates.rule.startswith(rule)
    assert card.target_rule.startswith(rule)
    card = run_train(
        db,
        out=tmp_path / "given",
        project_dir=tmp_path,
        repeats=1,
        tiers="0.3,0.5,0.7",
        gates="0.4,0.3",
        target_precision=0.5,
    )
    assert [t.min_score for t in card.tiers] == [0.0, 0.3, 0.5, 0.7] and card.tier_rule == "--tiers"
    assert card.gates == cardmod.Gates(proceed=0.4, recalibrate=0.3, rule="--gates")
    assert card.target_rule == "--target-precision"
    with pytest.raises(UserError, match=r"tier bounds \(--tiers\) must be 3 strictly ascending"):
        run_train(db, out=tmp_path / "bad", project_dir=tmp_path, tiers="0.7,0.5,0.9")
    with pytest.raises(UserError, match=r"gates \(--gates\) must be PROCEED,RECALIBRATE"):
        run_train(db, out=tmp_path / "bad", project_dir=tmp_path, gates="0.5,0.6")
    (tmp_path / "dbt_project.yml").write_text("name: other_input\nvars: {rollout_gates: 0.6}\n")
    with pytest.raises(UserError, match=r"gates \(var rollout_gates\) must be 2 number"):
        run_train(db, out=tmp_path / "bad", project_dir=tmp_path)
    assert not (tmp_path / "bad").exists()


@pytest.mark.fast
def test_playbook_rules_carried_to_any_base_rate_stay_in_order():
    """At the playbook's 40% they are its own; at any base rate they stay strictly between the
    base rate and 1, in order (the lift-multiple rule it replaced collided at 11-18%)."""
    tiers, gates = settings.PLAYBOOK_TIERS, settings.PLAYBOOK_GATES
    assert [train_mod.at_base_rate(p, 0.40) for p in (*tiers, *gates)] == [*tiers, *gates]
    for base_rate in (0.002, 0.01, 0.05, 0.11, 0.12, 0.152, 0.176, 0.3, 0.465, 0.6, 0.8):
        bounds = [train_mod.at_base_rate(p, base_rate) for p in tiers]
        assert base_rate < bounds[0] < bounds[1] < bounds[2] < 1, (base_rate, bounds)
        proceed, recalibrate = (train_mod.at_base_rate(p, base_rate) for p in gates)
        assert base_rate < recalibrate < proceed < 1, (base_rate, proceed, recalibrate)
