"""`leadscore generate` and the hidden response model: real files, real code."""

import csv
import filecmp

import duckdb
import numpy as np
import pandas as pd
import pytest

from leadscore import cli
from leadscore.settings import DEFAULT_SAMPLE_DIR
from leadscore.synthetic import generate, hidden_model

pytestmark = pytest.mark.fast  # no dbt run: the first layer (docs/development.md)

END = pd.Timestamp("2026-10-31")
SENIORITY = {
    "entry",
    "senior",
    "manager",
    "director",
    "vp",
    "cxo",
    "owner",
    "partner",
    "training",
    "unpaid",
}
SIZES = {"1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+"}
SOURCES = {"sales_navigator", "linkedin_ads", "event", "inbound", "referral", "csv_import"}
TYPES = set(generate.ACTIVITY_TYPES)
FILES = ("leads.csv", "activities.csv", "outreach.csv")


def _read(folder, name):
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])


def _header(path):
    with open(path, newline="") as fh:
        return next(csv.reader(fh))


@pytest.fixture(scope="module")
def multi_chunk(tmp_path_factory):
    """3,000 leads in 3 chunks of 1,000, 1,500 contacted: enough for rates and ranges."""
    out = tmp_path_factory.mktemp("gen_multi")
    counts = generate.generate(out, 3000, 1500, seed=7, chunk_size=1000)
    return out, counts


def test_same_seed_same_bytes_different_seed_differs(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        assert (
            cli.main(
                [
                    "generate",
                    "--out",
                    str(tmp_path / name),
                    "--leads",
                    "400",
                    "--contacted",
                    "100",
                    "--seed",
                    str(seed),
                ]
            )
            == 0
        )
    for f in FILES:
        assert filecmp.cmp(tmp_path / "a" / f, tmp_path / "b" / f, shallow=False)
        assert not filecmp.cmp(tmp_path / "a" / f, tmp_path / "c" / f, shallow=False)


def test_contract_columns_and_counts(multi_chunk):
    out, counts = multi_chunk
    assert _header(out / "leads.csv") == generate.LEAD_COLUMNS
    assert _header(out / "activities.csv") == generate.ACTIVITY_COLUMNS
    assert _header(out / "outreach.csv") == generate.OUTREACH_COLUMNS
    leads, acts, outreach = (_read(out, f) for f in FILES)
    assert len(leads) == counts["leads"] == 3000
    assert len(outreach) == counts["outreach"] == 1500
    assert len(acts) == counts["activities"]
    assert leads.lead_id.is_unique and acts.activity_id.is_unique and outreach.contact_id.is_unique
    assert leads.lead_id.str.fullmatch(r"L\d{8}").all()
    assert outreach.lead_id.is_unique and outreach.lead_id.isin(leads.lead_id).all()
    assert acts.lead_id.isin(leads.lead_id).all()
    assert not (out / "do_not_contact.csv").exists()


def test_values_follow_the_contract(multi_chunk):
    out, _ = multi_chunk
    leads, acts, outreach = (_read(out, f) for f in FILES)
    norm = leads.seniority.dropna().str.strip().str.lower()
    assert norm.isin(SENIORITY).all()
    assert (leads.seniority.dropna() != norm).any(), "some messy casing/whitespace expected"
    assert leads.company_size.dropna().isin(SIZES).all()
    assert leads.lead_source.str.lower().isin(SOURCES).all()
    for col in ("has_photo", "is_premium", "is_open_profile", "open_to_work"):
        assert leads[col].isin(["true", "false"]).all()
    conn = leads.connections
    share_500 = (conn == "500+").mean()
    assert 0.25 < share_500 < 0.45
    numeric = pd.to_numeric(conn[conn != "500+"], errors="coerce")
    assert (numeric.dropna() < 500).all() and numeric.isna().mean() < 0.01
    # optional fields have realistic missing rates; required keys never
    for col in (
        "job_title",
        "industry",
        "years_in_role",
        "years_experience",
        "company_size",
        "country",
        "email",
    ):
        assert 0.02 < leads[col].isna().mean() < 0.25, col
    assert leads[["lead_id", "created_at", "lead_source"]].notna().all().all()
    mails = leads.email.dropna()
    free = mails.str.split("@").str[-1].isin(hidden_model.FREE_MAIL_DOMAINS).mean()
    assert 0.2 < free < 0.6
    # a few genuinely bad values for the data-quality checks (about 0.3% of leads)
    bad = (
        (leads.followers == "n/a")
        | (leads.skills_count == "-1")
        | (leads.connections == "lots")
        | (leads.years_experience == "-3.5")
    )
    assert 0 < bad.sum() < 40
    assert acts.activity_type.isin(TYPES).all()
    assert outreach.channel.isin(["inmail", "linkedin_message", "email", "phone"]).all()
    assert outreach.experiment_group.dropna().isin(["model", "random"]).all()
    assert outreach.experiment_group.isna().mean() > 0.5
    assert outreach.campaign_id.str.fullmatch(r"C20\d\d-\d\d").all()
    assert outreach.responded.isin(["true", "false"]).all()


def test_timestamps_and_skew(multi_chunk):
    out, _ = multi_chunk
    leads, acts, outreach = (_read(out, f) for f in FILES)
    created = pd.to_datetime(leads.set_index("lead_id").created_at)
    occurred = pd.to_datetime(acts.occurred_at)
    start = END - pd.Timedelta(days=365)
    assert created.min() >= start and created.max() < END
    assert occurred.min() >= start and occurred.max() < END
    assert (occurred.to_numpy() >= created.loc[acts.lead_id].to_numpy()).all()
    per_lead = acts.groupby("lead_id").size().reindex(leads.lead_id, fill_value=0)
    assert (per_lead <= 2).mean() > 0.4 and per_lead.max() >= 24  # heavy tail
    contacted = pd.to_datetime(outreach.contacted_at)
    assert (contacted.to_numpy() > created.loc[outreach.lead_id].to_numpy()).all()
    responders = outreach[outreach.responded == "true"]
    assert (pd.to_datetime(responders.responded_at) > pd.to_datetime(responders.contacted_at)).all()
    assert outreach.loc[outreach.responded == "false", "responded_at"].isna().all()
    # every responder has a message_reply at responded_at (post-contact: a leakage trap)
    replies = (
        acts[acts.activity_type == "message_reply"].set_index(["lead_id", "occurred_at"]).index
    )
    assert pd.MultiIndex.from_frame(responders[["lead_id", "responded_at"]]).isin(replies).all()
    # base rate of the hidden model around 40%
    assert 0.3 < (outreach.responded == "true").mean() < 0.5


def test_parquet_output_readable_by_duckdb(tmp_path):
    generate.generate(tmp_path, 500, 120, seed=3, fmt="parquet")
    with duckdb.connect() as con:
        for name, rows in (("leads", 500), ("outreach", 120)):
            path = tmp_path / f"{name}.parquet"
            assert con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0] == rows
        types = con.execute(
            f"describe select * from read_parquet('{tmp_path / 'leads.parquet'}')"
        ).fetchall()
        assert [t[0] for t in types] == generate.LEAD_COLUMNS
        assert {t[1] for t in types} == {"VARCHAR"}
        assert (
            con.execute(
                f"select count(*) from read_parquet('{tmp_path / 'activities.parquet'}')"
            ).fetchone()[0]
            > 500
        )


def test_bad_arguments_are_user_errors(tmp_path):
    assert cli.main(["generate", "--out", str(tmp_path), "--leads", "10"]) == 2
    assert (
        cli.main(["generate", "--out", str(tmp_path), "--leads", "400", "--contacted", "401"]) == 2
    )


def test_bundled_sample_is_the_generator_output(tmp_path):
    """data/sample == `leadscore generate --leads 1303 --contacted 303 --seed 42` (not stale)."""
    generate.generate(tmp_path, 1303, 303, seed=42)
    for f in FILES:
        assert filecmp.cmp(tmp_path / f, DEFAULT_SAMPLE_DIR / f, shallow=False), f
    outreach = _read(DEFAULT_SAMPLE_DIR, "outreach.csv")
    assert len(outreach) == 303 and len(_read(DEFAULT_SAMPLE_DIR, "leads.csv")) == 1303
    assert not list(DEFAULT_SAMPLE_DIR.glob("do_not_contact.*"))


def test_hidden_model_reads_raw_text_and_is_deterministic():
    leads = _read(DEFAULT_SAMPLE_DIR, "leads.csv")
    acts = _read(DEFAULT_SAMPLE_DIR, "activities.csv")
    p1 = hidden_model.response_probability(leads, acts, "2026-11-01T09:00:00", 42)
    p2 = hidden_model.response_probability(leads.iloc[::-1], acts, "2026-11-01T09:00:00", 42)
    assert p1.shape == (len(leads),) and np.isfinite(p1).all()
    assert np.allclose(p1, p2[::-1])
    assert 0.25 < p1.mean() < 0.55 and p1.std() > 0.1
    assert not np.allclose(p1, hidden_model.response_probability(leads, acts, "2026-11-01", 43))
    # activities at or after as_of do not count
    early = hidden_model.response_probability(leads, acts, "2025-10-01", 42)
    assert np.allclose(
        early, hidden_model.response_probability(leads, acts.iloc[:0], "2025-10-01", 42)
    )


def test_end_date_moves_the_year(tmp_path):
    generate.generate(tmp_path, 303, 60, seed=1, end_date="2025-06-30")
    acts, outreach = _read(tmp_path, "activities.csv"), _read(tmp_path, "outreach.csv")
    occurred = pd.to_datetime(acts.occurred_at)
    assert occurred.max() < pd.Timestamp("2025-06-30")
    assert occurred.min() >= pd.Timestamp("2025-06-30") - pd.Timedelta(days=365)
    assert outreach.campaign_id.str.startswith(("C2024-", "C2025-")).all()
    assert cli.main(["generate", "--out", str(tmp_path / "x"), "--end-date", "soon"]) == 2
