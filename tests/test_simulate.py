"""`leadscore simulate-campaign` on a copy of the bundled sample and a real DuckDB list table."""

import filecmp
import shutil

import duckdb
import pandas as pd
import pytest

from leadscore import cli
from leadscore.synthetic import generate

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)


def _read(folder, name):
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])


def _make_list(db_path, raw_dir, n=40, table="rollout_phase1_validation"):
    """A list table like the selection mart: never-contacted leads with a score_rank."""
    leads = _read(raw_dir, "leads.csv")
    contacted = set(_read(raw_dir, "outreach.csv").lead_id)
    pick = [x for x in leads.lead_id if x not in contacted][5 : 5 + n]
    frame = pd.DataFrame(
        {"lead_id": pick[::-1], "score_rank": range(1, n + 1), "campaign_id": "phase1-validation"}
    )
    with duckdb.connect(str(db_path)) as con:
        con.register("frame", frame)
        con.execute(f"create table {table} as select * from frame")
    return pick[::-1]


def _simulate(raw, db, *extra):
    return cli.main(
        [
            "simulate-campaign",
            "--db",
            str(db),
            "--raw-dir",
            str(raw),
            "--campaign-id",
            "phase1-validation",
            *extra,
        ]
    )


def test_appends_a_campaign_with_the_right_counts(sample_copy, tmp_path):
    db = tmp_path / "wh.duckdb"
    listed = _make_list(db, sample_copy)
    before_o, before_a = _read(sample_copy, "outreach.csv"), _read(sample_copy, "activities.csv")
    assert (
        _simulate(sample_copy, db, "--limit", "30", "--random-arm", "10", "--pending-share", "0.2")
        == 0
    )
    outreach, acts = _read(sample_copy, "outreach.csv"), _read(sample_copy, "activities.csv")
    new = outreach.iloc[len(before_o) :]
    assert list(outreach.columns) == generate.OUTREACH_COLUMNS
    assert len(new) == 40 and (new.campaign_id == "phase1-validation").all()
    assert list(new.lead_id[:30]) == listed[:30]  # --limit takes the best ranks
    assert (new.experiment_group[:30] == "model").all() and (
        new.experiment_group[30:] == "random"
    ).all()
    assert not new.lead_id[30:].isin(before_o.lead_id).any()
    assert outreach.contact_id.is_unique and acts.activity_id.is_unique
    # default contact time: 09:00 the day after the latest raw timestamp
    latest = max(
        pd.to_datetime(before_a.occurred_at).max(), pd.to_datetime(before_o.responded_at).max()
    )
    expected = latest.normalize() + pd.Timedelta(days=1, hours=9)
    assert (pd.to_datetime(new.contacted_at) == expected).all()
    assert new.responded.isna().sum() > 0 and new.responded.dropna().isin(["true", "false"]).all()
    responders = new[new.responded == "true"]
    assert len(responders) > 0
    assert new.loc[new.responded != "true", "responded_at"].isna().all()
    assert (pd.to_datetime(responders.responded_at) > expected).all()
    new_acts = acts.iloc[len(before_a) :]
    replies = new_acts[new_acts.activity_type == "message_reply"]
    assert sorted(replies.lead_id) == sorted(responders.lead_id)
    assert (pd.to_datetime(new_acts.occurred_at) > expected).all()


def test_no_random_arm_leaves_group_empty_and_refuses_duplicates(sample_copy, tmp_path):
    db = tmp_path / "wh.duckdb"
    _make_list(db, sample_copy, n=12)
    n0 = len(_read(sample_copy, "outreach.csv"))
    assert _simulate(sample_copy, db, "--contacted-at", "2026-11-05T10:00:00") == 0
    new = _read(sample_copy, "outreach.csv").iloc[n0:]
    assert len(new) == 12 and new.experiment_group.isna().all() and new.responded.notna().all()
    assert (new.contacted_at == "2026-11-05T10:00:00").all()
    snapshot = (sample_copy / "outreach.csv").read_bytes()
    assert _simulate(sample_copy, db) == 2  # campaign already exists
    assert (sample_copy / "outreach.csv").read_bytes() == snapshot
    assert _simulate(sample_copy, db, "--table", "no_such_list") == 2
    assert _simulate(sample_copy, tmp_path / "missing.duckdb") == 2


def test_deterministic(sample_copy, tmp_path):
    other = tmp_path / "raw2"
    shutil.copytree(sample_copy, other)
    db = tmp_path / "wh.duckdb"
    _make_list(db, sample_copy)
    for raw in (sample_copy, other):
        assert _simulate(raw, db, "--random-arm", "25") == 0
    for f in ("outreach.csv", "activities.csv"):
        assert filecmp.cmp(sample_copy / f, other / f, shallow=False)


def test_refuses_parquet_raw_folder(tmp_path):
    generate.generate(tmp_path / "raw", 400, 50, seed=1, fmt="parquet")
    db = tmp_path / "wh.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table rollout_phase1_validation as select 'L00000001' as lead_id")
    assert _simulate(tmp_path / "raw", db) == 2


@pytest.mark.parametrize("share", ["1.5"])
def test_bad_pending_share(sample_copy, tmp_path, share):
    db = tmp_path / "wh.duckdb"
    _make_list(db, sample_copy, n=3)
    assert _simulate(sample_copy, db, "--pending-share", share) == 2
