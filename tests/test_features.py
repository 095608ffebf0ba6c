"""Issue 2: raw files -> staging -> data-quality accounting -> the 47-feature tables.

Real `dbt build` runs on real DuckDB files. Builds here select only the feature part of
the project (seeds, raw, staging, intermediate, features), which is what they test, or, for a
test reading nothing after them, only the checks of the raw files (DATA_QUALITY_PART).
"""

import csv
from pathlib import Path

import duckdb
import pytest
from raw_input import DATA_QUALITY_PART, INPUT_PART, lead_row

from leadscore.settings import DEFAULT_SAMPLE_DIR
from leadscore.synthetic import generate

KEYS = {
    "lead_features": ["lead_id", "feature_as_of"],
    "lead_training_set": ["contact_id", "lead_id", "feature_as_of"],
}


def build_features(project, raw_dir, check=True, part=INPUT_PART, **vars):
    return project.dbt("build", *part, vars={"raw_data_path": str(raw_dir), **vars}, check=check)


def read_csv_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def table(project, name):
    return project.df(f"select * from {name} order by all")


@pytest.fixture(scope="module")
def feature_build(sample_build):
    """The feature part of the project built on the bundled sample: the session build's (read only)."""
    return sample_build


def test_feature_builds_47_numeric_features(feature_build):
    cols = feature_build.query(
        "select column_name, data_type from duckdb_columns() where table_name = 'lead_features' "
        "order by column_index"
    )
    assert [c for c, _ in cols[:2]] == ["lead_id", "feature_as_of"]
    features = cols[2:]
    assert len(features) == 47
    assert {t for _, t in features} == {"DOUBLE"}

    training_cols = [
        c
        for c, _ in feature_build.query(
            "select column_name, data_type from duckdb_columns() where table_name = 'lead_training_set' "
            "order by column_index"
        )
    ]
    assert training_cols == [
        "contact_id",
        "lead_id",
        "feature_as_of",
        *[c for c, _ in features],
        "responded",
    ]

    leads = read_csv_rows(DEFAULT_SAMPLE_DIR / "leads.csv")
    outreach = read_csv_rows(DEFAULT_SAMPLE_DIR / "outreach.csv")
    known = [r for r in outreach if r["responded"].strip() != ""]
    assert feature_build.query("select count(*), count(distinct lead_id) from lead_features")[
        0
    ] == (len(leads), len(leads))
    assert feature_build.query("select count(*) from lead_training_set")[0][0] == len(known)
    # the training label is the file's outcome, contact by contact
    labels = dict(feature_build.query("select contact_id, responded from lead_training_set"))
    assert labels == {r["contact_id"]: r["responded"].strip().lower() == "true" for r in known}


def test_default_as_of_is_midnight_after_latest_activity(feature_build):
    latest = max(r["occurred_at"] for r in read_csv_rows(DEFAULT_SAMPLE_DIR / "activities.csv"))
    (as_of,) = feature_build.query("select distinct feature_as_of from lead_features")
    assert as_of[0].date().isoformat() > latest[:10]
    assert (as_of[0].date() - __import__("datetime").date.fromisoformat(latest[:10])).days == 1
    assert (as_of[0].hour, as_of[0].minute, as_of[0].second) == (0, 0, 0)


@pytest.fixture
def messy_raw(tmp_path):
    """Small files mixing good rows with every kind of problem the contract names."""
    raw = tmp_path / "messy"
    raw.mkdir()
    lead_header = generate.LEAD_COLUMNS

    def lead(lead_id, **over):
        same = {"full_name": "Ann Example", "seniority": "Director"}  # the rows below expect these
        return lead_row(lead_id, **{**same, "profile_url": "https://www.linkedin.com/in/x", **over})

    write_csv(
        raw / "leads.csv",
        lead_header,
        [
            lead("L1"),  # line 2: good
            lead("L2", followers="many", seniority="Wizard"),  # line 3: 2 bad values
            lead("L3", skills_count="-4", has_photo="maybe"),  # line 4: 2 bad values
            lead("L1", full_name="Duplicate"),  # line 5: duplicate key
            lead(""),  # line 6: missing key
            lead("L4", created_at="yesterday", company_size="huge"),  # line 7: 2 bad values
            lead(
                "L5", followers="NaN", connections="inf", skills_count="1e300"
            ),  # line 8: not finite
        ],
    )
    write_csv(
        raw / "activities.csv",
        generate.ACTIVITY_COLUMNS,
        [
            ["A1", "L1", "email_open", "2026-02-01T10:00:00"],  # good
            ["A2", "L1", "carrier_pigeon", "2026-02-02T10:00:00"],  # bad enum -> null
            ["A3", "L9", "email_open", "2026-02-03T10:00:00"],  # unknown lead
            ["A4", "L2", "post_like", "not a date"],  # bad timestamp
            ["A1", "L2", "post_like", "2026-02-04T10:00:00"],  # duplicate key
            ["A5", "L2", "post_like", "2026-02-05T10:00:00"],  # good
        ],
    )
    write_csv(
        raw / "outreach.csv",
        generate.OUTREACH_COLUMNS,
        [
            ["O1", "L1", "C1", "inmail", "", "2026-03-01T10:00:00", "true", "2026-03-02T10:00:00"],
            ["O2", "L2", "C1", "pigeon", "", "2026-03-01T10:00:00", "false", ""],  # bad channel
            [
                "O3",
                "L3",
                "C1",
                "email",
                "",
                "2026-03-01T10:00:00",
                "true",
                "2026-02-01T10:00:00",
            ],  # response before contact
            ["O4", "L77", "C1", "email", "", "2026-03-01T10:00:00", "false", ""],  # unknown lead
            [
                "O5",
                "L4",
                "C1",
                "email",
                "blue",
                "2026-03-01T10:00:00",
                "perhaps",
                "",
            ],  # bad group, bad bool
            ["O6", "L4", "C1", "email", "", "", "false", ""],  # missing contacted_at
        ],
    )
    write_csv(
        raw / "do_not_contact.csv",
        ["lead_id", "email", "reason"],
        [
            ["L1", "", "opt-out"],  # applied
            ["", "L3@acme.io", "GDPR objection"],  # applied, by e-mail
            ["L404", "", "opt-out"],  # matches no lead
            ["", "", "no idea who"],  # names nobody
        ],
    )
    return raw


def test_every_problem_is_accounted_for(dbt_project, messy_raw):
    build_features(dbt_project, messy_raw, max_rejected_share=1, max_not_applied_share=1)
    issues = {
        (Path(f).name, key, line, col, reason, action)
        for f, key, line, col, _, reason, action in dbt_project.query(
            "select * from data_quality_issues"
        )
    }
    expected = {
        ("leads.csv", "L2", 3, "followers", "not a number", "value_set_to_null"),
        ("leads.csv", "L2", 3, "seniority", "not an allowed value", "value_set_to_null"),
        ("leads.csv", "L3", 4, "skills_count", "negative value", "value_set_to_null"),
        ("leads.csv", "L3", 4, "has_photo", "not true/false", "value_set_to_null"),
        (
            "leads.csv",
            "L1",
            5,
            "lead_id",
            "duplicate lead_id (first seen on line 2)",
            "row_rejected",
        ),
        ("leads.csv", None, 6, "lead_id", "missing lead_id", "row_rejected"),
        ("leads.csv", "L4", 7, "created_at", "not an ISO-8601 timestamp", "value_set_to_null"),
        ("leads.csv", "L4", 7, "company_size", "not an allowed value", "value_set_to_null"),
        ("leads.csv", "L5", 8, "followers", "not a finite number up to 1e12", "value_set_to_null"),
        (
            "leads.csv",
            "L5",
            8,
            "connections",
            "not a finite number up to 1e12",
            "value_set_to_null",
        ),
        (
            "leads.csv",
            "L5",
            8,
            "skills_count",
            "not a finite number up to 1e12",
            "value_set_to_null",
        ),
        ("activities.csv", "A2", 3, "activity_type", "not an allowed value", "value_set_to_null"),
        (
            "activities.csv",
            "A3",
            4,
            "lead_id",
            "unknown lead (not among the accepted leads)",
            "row_rejected",
        ),
        (
            "activities.csv",
            "A4",
            5,
            "occurred_at",
            "occurred_at not an ISO-8601 timestamp",
            "row_rejected",
        ),
        (
            "activities.csv",
            "A1",
            6,
            "activity_id",
            "duplicate activity_id (first seen on line 2)",
            "row_rejected",
        ),
        ("outreach.csv", "O2", 3, "channel", "not an allowed value", "value_set_to_null"),
        ("outreach.csv", "O3", 4, "responded_at", "response before its contact", "row_rejected"),
        (
            "outreach.csv",
            "O4",
            5,
            "lead_id",
            "unknown lead (not among the accepted leads)",
            "row_rejected",
        ),
        # an outcome that cannot be read: no label (the bad group is moot, the row is out)
        ("outreach.csv", "O5", 6, "responded", "responded not true/false", "row_rejected"),
        ("outreach.csv", "O6", 7, "contacted_at", "missing contacted_at", "row_rejected"),
        (
            "do_not_contact.csv",
            "L404",
            4,
            "lead_id",
            "matches no accepted lead (by lead_id or e-mail): not applied",
            "not_applied",
        ),
        ("do_not_contact.csv", None, 5, "email", "neither lead_id nor email given", "row_rejected"),
    }
    assert issues == expected
    # a rejected row shows the value that broke the rule, even one that parsed
    shown = "select raw_value from data_quality_issues where reason = 'response before its contact'"
    assert dbt_project.query(shown) == [("2026-02-01 10:00:00",)]

    # accepted + rejected = input, per file, counted against the files themselves
    summary = {r[0]: r[2:5] for r in dbt_project.query("select * from data_quality_summary")}
    for name in ("leads", "activities", "outreach"):
        n_input = len(read_csv_rows(messy_raw / f"{name}.csv"))
        input_rows, accepted, rejected = summary[name]
        assert input_rows == n_input and accepted + rejected == n_input, name
    assert summary["leads"][1:] == (5, 2)
    assert summary["do_not_contact"] == (
        4,
        3,
        1,
    )  # the opt-out naming no lead is kept, not rejected
    assert sorted(r[0] for r in dbt_project.query("select lead_id from do_not_contact")) == [
        "L1",
        "L3",
    ]

    # a lead with bad values is still scored; the bad values are simply missing
    row = dbt_project.query(
        "select log_followers, seniority_rank, company_size_rank from lead_features where lead_id = 'L2'"
    )
    assert row == [(None, None, 3.0)]
    assert dbt_project.query("select count(*) from lead_features")[0][0] == 5
    # O5's outcome cannot be read (rejected), so only O1 and O2 train
    assert sorted(r[0] for r in dbt_project.query("select contact_id from lead_training_set")) == [
        "O1",
        "O2",
    ]


def test_too_many_rejected_rows_stop_the_build(dbt_project, messy_raw):
    result = build_features(dbt_project, messy_raw, check=False, part=DATA_QUALITY_PART)
    assert result.returncode != 0
    assert "FAIL" in result.stdout and "rejected_share_within_limit" in result.stdout
    # the evidence is still there to read
    assert (
        dbt_project.query("select count(*) from data_quality_issues where action = 'row_rejected'")[
            0
        ][0]
        == 10
    )


def test_missing_required_column_stops_the_build(dbt_project, sample_copy):
    rows = read_csv_rows(sample_copy / "leads.csv")
    header = [h for h in rows[0] if h != "seniority"]
    write_csv(sample_copy / "leads.csv", header, [[r[h] for h in header] for r in rows])
    result = build_features(dbt_project, sample_copy, check=False)
    assert result.returncode != 0
    assert "leads.csv is missing required column(s): seniority" in result.stdout


def test_missing_file_stops_the_build(dbt_project, sample_copy):
    (sample_copy / "activities.csv").unlink()
    result = build_features(dbt_project, sample_copy, check=False)
    assert result.returncode != 0
    assert "Raw input file missing: neither" in result.stdout and "activities.csv" in result.stdout


def test_invalid_as_of_is_refused(dbt_project):
    result = build_features(
        dbt_project, DEFAULT_SAMPLE_DIR, check=False, as_of="2026-01-01'; drop table x; --"
    )
    assert result.returncode != 0
    assert (
        "Invalid dbt var as_of=2026-01-01'; drop table x; --: expected a real date" in result.stdout
    )


def _append_activities(raw_dir, rows):
    with open(raw_dir / "activities.csv", "a", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_activity_at_or_after_contact_changes_no_training_row(tmp_path, sample_copy, feature_build):
    from conftest import DbtProject

    baseline = table(feature_build, "lead_training_set")  # the unchanged sample's

    contacts = [r for r in read_csv_rows(sample_copy / "outreach.csv") if r["responded"].strip()]
    # a burst of high-intent activity at the contact moment and after it, for every contact
    future = []
    for i, c in enumerate(contacts):
        for j, (kind, when) in enumerate(
            [
                ("message_reply", c["contacted_at"]),
                ("content_download", "2027-06-01T00:00:00"),
                ("email_click", "2026-12-31T23:59:59"),
            ]
        ):
            future.append([f"FUT{i}_{j}", c["lead_id"], kind, when])
    _append_activities(sample_copy, future)
    after = DbtProject(tmp_path / "after")
    build_features(after, sample_copy)
    assert table(after, "lead_training_set").equals(baseline)

    # the cut is what protects the rows: one activity a second before a contact does change it
    c = contacts[0]
    _append_activities(
        sample_copy,
        [["PAST0", c["lead_id"], "message_reply", c["contacted_at"].replace("T", " ")[:17] + "00"]],
    )
    changed = DbtProject(tmp_path / "changed")
    build_features(changed, sample_copy)
    diff = changed.df(
        f"select message_replies from lead_training_set where contact_id = '{c['contact_id']}'"
    )
    old = baseline.loc[baseline.contact_id == c["contact_id"], "message_replies"].iloc[0]
    assert diff.message_replies.iloc[0] == old + 1


def test_parquet_input_gives_the_same_features(tmp_path, feature_build):
    raw = tmp_path / "parquet_raw"
    raw.mkdir()
    with duckdb.connect() as con:
        for name in ("leads", "activities", "outreach"):
            con.execute(
                f"copy (select * from read_csv('{DEFAULT_SAMPLE_DIR / name}.csv', all_varchar = true)) "
                f"to '{raw / name}.parquet' (format parquet)"
            )
    from conftest import DbtProject

    project = DbtProject(tmp_path / "build")
    build_features(project, raw)
    for name in ("lead_features", "lead_training_set"):
        assert table(project, name).equals(table(feature_build, name)), name
    assert (
        project.query("select count(*) from data_quality_issues")[0][0]
        == feature_build.query("select count(*) from data_quality_issues")[0][0]
    )
