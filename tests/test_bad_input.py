"""Issue 11: bad input that used to get through. One test (or a few) per class of failure, on
real dbt builds: each asserts what the user sees - the build stops with a message naming the
file, line or var, or the data come out right.

Most builds select only the input part of the project (the LinkedIn staging and the engine's
interface views), or only the checks of the raw files when a test reads nothing after them
(DATA_QUALITY_PART), on a tiny raw folder written by the test; a failing input build cannot
reach history, exports or the published file (those are committed only by a green, complete
build: see tests/test_publish.py for the end-to-end checks).
"""

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import DbtProject, part_of
from leadscore_cli import leadscore_in_process
from raw_input import DATA_QUALITY_PART, INPUT_PART
from raw_input import lead_row as lead

from leadscore.dbt_runner import dbt_command
from leadscore.settings import PROJECT_ROOT
from leadscore.synthetic import generate

LEAD_HEADER = generate.LEAD_COLUMNS
ACTIVITY_HEADER = generate.ACTIVITY_COLUMNS
OUTREACH_HEADER = generate.OUTREACH_COLUMNS


def csv_text(header, rows):
    """CSV text as a standard writer produces it (quotes only where needed)."""
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_raw(folder: Path, leads=None, activities=None, outreach=None, dnc=None) -> Path:
    """A tiny raw folder: five good leads, a few activities and contacts unless given."""
    folder.mkdir(parents=True, exist_ok=True)
    leads = leads if leads is not None else [lead(f"L{i}") for i in range(1, 6)]
    activities = (
        activities
        if activities is not None
        else [
            [f"A{i}", f"L{i % 5 + 1}", "email_open", f"2026-03-0{i}T10:00:00"] for i in range(1, 8)
        ]
    )
    outreach = (
        outreach
        if outreach is not None
        else [
            ["O1", "L1", "C1", "inmail", "", "2026-03-05T10:00:00", "true", "2026-03-06T10:00:00"],
            ["O2", "L2", "C1", "email", "", "2026-03-05T10:00:00", "false", ""],
        ]
    )
    files = (
        ("leads", leads),
        ("activities", activities),
        ("outreach", outreach),
        ("do_not_contact", dnc),
    )
    for name, content in files:
        if content is None:
            continue
        header = {
            "leads": LEAD_HEADER,
            "activities": ACTIVITY_HEADER,
            "outreach": OUTREACH_HEADER,
            "do_not_contact": ["lead_id", "email", "reason"],
        }[name]
        data = content if isinstance(content, (str, bytes)) else csv_text(header, content)
        path = folder / f"{name}.csv"
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def build_input(project, raw, check=False, part=INPUT_PART, **vars_):
    return project.dbt("build", *part, vars={"raw_data_path": str(raw), **vars_}, check=check)


def build_data_quality(project, raw, check=False, **vars_):
    """Only the raw files' checks (DATA_QUALITY_PART): for a test reading nothing after them."""
    return build_input(project, raw, check, DATA_QUALITY_PART, **vars_)


def output(result):
    return result.stdout + result.stderr


def issues(project, source_file=None):
    rows = project.query(
        "select source_file, row_key, line_number, column_name, raw_value, reason, action "
        "from data_quality_issues order by source_file, line_number, column_name"
    )
    return [
        (Path(f).name if f else None, *rest)
        for f, *rest in rows
        if source_file is None or (f and Path(f).name == source_file)
    ]


def assert_accounted(project):
    """accepted + rejected = read, per file (the data test checks it too; this says which)."""
    bad = project.query(
        "select raw_file from data_quality_summary where input_rows <> accepted_rows + rejected_rows"
    )
    assert bad == []


def assert_nothing_built(project):
    """A build stopped before any model ran: no table or view in the build database."""
    if project.db_path.exists():
        assert project.query(
            "select count(*) from duckdb_tables() where not internal "
            "and database_name = current_database()"
        ) == [(0,)]


# ----------------------------------------------------------------------------- 1. suppression


def test_suppression_file_with_misspelled_columns_stops_the_build(dbt_project, tmp_path):
    raw = write_raw(tmp_path / "raw", dnc="LeadID,E-mail,Reason\nL1,l1@acme.io,opt-out\n")
    result = build_data_quality(dbt_project, raw)
    assert result.returncode != 0
    text = output(result)
    assert "do_not_contact.csv has column(s) spelled differently from the contract" in text
    assert "'LeadID' (for lead_id)" in text and "'E-mail' (for email)" in text
    assert_nothing_built(dbt_project)


def test_suppression_file_without_a_key_column_stops_the_build(dbt_project, tmp_path):
    raw = write_raw(tmp_path / "raw", dnc="person,why\nL1,opt-out\n")
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert "do_not_contact.csv has none of the columns lead_id, email" in output(result)


def test_an_empty_file_is_said_to_be_empty(dbt_project, tmp_path):
    """A zero-byte export (a download cut short) has no header: said so, not "Found: ."."""
    raw = write_raw(tmp_path / "raw", activities="")
    result = build_data_quality(dbt_project, raw)
    assert result.returncode != 0
    said = output(result)
    missing = "is missing required column(s): activity_id, "
    assert f"Raw input file {raw / 'activities.csv'} {missing}" in said
    assert "Its first line, the header, is empty: an empty file, or one that starts" in said
    assert_nothing_built(dbt_project)


def test_a_contract_column_given_twice_stops_the_build(dbt_project, tmp_path):
    """The reader would take the first copy (here empty) and drop the other unseen."""
    header = [*LEAD_HEADER, "EMAIL"]
    rows = [[*lead(f"L{i}", email=""), f"l{i}@acme.io"] for i in range(1, 6)]
    raw = write_raw(tmp_path / "raw", leads=csv_text(header, rows))
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    position = LEAD_HEADER.index("email") + 1
    assert (
        f"leads.csv has the column EMAIL twice (columns {position} and {len(header)}): remove one"
    ) in output(result)
    assert_nothing_built(dbt_project)
    # Parquet too: DuckDB would read the copies as lead_id and lead_id_1
    import pyarrow as pa
    import pyarrow.parquet as pq

    raw = write_raw(tmp_path / "raw_parquet")
    ids = [pa.array(["L9"]), pa.array(["L2"]), pa.array(["opt-out"])]
    table = pa.Table.from_arrays(ids, names=["lead_id", "lead_id", "reason"])
    pq.write_table(table, raw / "do_not_contact.parquet")
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert "do_not_contact.parquet has the column lead_id twice (columns 1 and 2)" in output(result)
    assert_nothing_built(dbt_project)


def test_near_miss_suppression_file_names_stop_the_build(dbt_project, tmp_path):
    raw = write_raw(tmp_path / "raw")
    # a second download keeps the name with "(1)": never an opt-out list silently absent
    for name in ("Do_Not_Contact.xlsx", "do-not-contact.csv", "do_not_contact (1).csv"):
        (raw / name).write_text("lead_id,email,reason\nL1,,opt-out\n")
    (raw / "notes on do_not_contact.md").write_text("not data: never a near miss\n")
    # a download in progress, a spreadsheet format, a partitioned Parquet folder
    (raw / "do_not_contact.csv.crdownload").write_text("lead_id\nL1\n")
    (raw / "do_not_contact.ods").write_bytes(b"PK")
    (raw / "do_not_contact.parquet" / "y=2026").mkdir(parents=True)
    (raw / "do_not_contact.parquet" / "y=2026" / "part-0.parquet").write_bytes(b"PAR1")
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert (
        "holds Do_Not_Contact.xlsx, do-not-contact.csv, do_not_contact (1).csv, "
        "do_not_contact.csv.crdownload, do_not_contact.ods, do_not_contact.parquet/, a near miss "
        "of the contract's do_not_contact.csv / do_not_contact.parquet"
    ) in output(result), output(result)[-2000:]
    assert_nothing_built(dbt_project)
    # a stale copy next to this week's file: which one is meant is not the build's to guess
    raw = write_raw(tmp_path / "raw2")
    (raw / "leads_old.csv").write_text((raw / "leads.csv").read_text())
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert "holds leads_old.csv, a near miss of the contract's leads.csv" in output(result)
    assert "(next to leads.csv)" in output(result)


def test_a_table_in_both_formats_stops_the_build(dbt_project, tmp_path):
    # an opt-out list in CSV next to another in Parquet: reading one would ignore the other
    raw = write_raw(tmp_path / "raw", dnc=[["L1", "", "opt-out"]])
    with duckdb.connect() as con:
        con.execute(f"copy (select 'L2' as lead_id) to '{raw / 'do_not_contact.parquet'}'")
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert (
        f"Raw input folder {raw} holds both do_not_contact.csv and do_not_contact.parquet. "
        "Remove one"
    ) in output(result)
    assert_nothing_built(dbt_project)


def test_exports_without_a_lead_stop_the_build(dbt_project, tmp_path):
    # header-only files: nothing rejected, nothing to score - a broken export, never a green
    # build publishing an empty scoring and list
    raw = write_raw(tmp_path / "raw", leads=[], activities=[], outreach=[])
    result = build_input(dbt_project, raw)
    assert result.returncode != 0
    assert "Failure in test has_rows_leads" in result.stdout


def test_mostly_unusable_suppression_file_stops_the_build(dbt_project, tmp_path):
    # 1 usable opt-out out of 4 rows: the other 3 name nobody (shifted columns, empty keys)
    raw = write_raw(
        tmp_path / "raw",
        dnc=[["L1", "", "opt-out"], ["", "", "x"], ["", "not-an-email", "y"], ["", " ", "z"]],
    )
    result = build_data_quality(dbt_project, raw)
    assert result.returncode != 0
    assert "FAIL" in result.stdout and "rejected_share_within_limit" in result.stdout
    failing = dbt_project.query(
        "select raw_file, input_rows, rejected_rows from data_quality_summary "
        "where rejected_rows > 0"
    )
    assert failing == [("do_not_contact", 4, 3)]


def test_suppression_is_applied_and_logged(dbt_project, tmp_path):
    dnc = [
        ["L1", "", "opt-out"],
        ["", "L2@ACME.IO", "GDPR"],
        ["L99", "", "not a lead yet"],
        ["", " Nobody@Example.COM", "not a lead yet"],
    ]
    # a tab or carriage return pasted around the id or e-mail does not void the opt-out
    pasted = '"L3\t",,opt-out\n,"\tl4@acme.io\r",opt-out\n'
    raw = write_raw(tmp_path / "raw", dnc=csv_text(["lead_id", "email", "reason"], dnc) + pasted)
    checks_and_suppression = part_of(
        "+data_quality_issues", "+data_quality_summary", "+do_not_contact"
    )
    # 2 of 6 opt-outs apply to no lead (> max_not_applied_share 0.2): the build fails, naming
    # the file; a list that names non-leads on purpose raises the var
    refused = build_input(dbt_project, raw, part=checks_and_suppression)
    assert refused.returncode != 0
    assert "FAIL 1 data_quality_not_applied_share" in refused.stdout
    shown = dbt_project.query(
        "select raw_file, input_rows, not_applied_rows, cast(max_not_applied_share as double) "
        f"from ({dbt_project.compiled_test_sql('data_quality_not_applied_share')}) as t"
    )
    assert shown == [("do_not_contact", 6, 2, 0.2)]
    result = build_input(
        dbt_project, raw, check=True, part=checks_and_suppression, max_not_applied_share=0.5
    )
    assert (
        f"do_not_contact: read {raw}/do_not_contact.csv: 6 row(s), 0 rejected, 2 naming no accepted lead; "
        "4 lead(s) suppressed"
    ) in result.stdout
    suppressed = dbt_project.query("select lead_id from do_not_contact order by 1")
    assert suppressed == [("L1",), ("L2",), ("L3",), ("L4",)]
    assert "data_quality_not_applied_share" not in result.stdout.split("Finished running")[-1]
    # the opt-out naming no current lead is kept and reported, not rejected
    assert issues(dbt_project, "do_not_contact.csv") == [
        (
            "do_not_contact.csv",
            "L99",
            4,
            "lead_id",
            "L99",
            "matches no accepted lead (by lead_id or e-mail): not applied",
            "not_applied",
        ),
        # reported with the e-mail as written in the file
        (
            "do_not_contact.csv",
            "nobody@example.com",
            5,
            "email",
            " Nobody@Example.COM",
            "matches no accepted lead (by e-mail): not applied",
            "not_applied",
        ),
    ]
    assert_accounted(dbt_project)
    # no file at all: the log says so
    (raw / "do_not_contact.csv").unlink()
    result = build_input(dbt_project, raw, check=True, part=checks_and_suppression)
    assert (
        f"do_not_contact: no do_not_contact.csv or .parquet in {raw}: no lead is suppressed"
        in result.stdout
    )


# ----------------------------------------------------------------------------- 2. future timestamps


def test_far_future_timestamps_are_issues_and_do_not_move_the_as_of(dbt_project, tmp_path):
    activities = [[f"A{i}", f"L{i}", "email_open", f"2026-03-0{i}T10:00:00"] for i in range(1, 5)]
    activities += [
        ["A5", "L5", "email_open", "2026-03-08T10:00:00"],
        ["A6", "L5", "post_like", "2099-01-01T00:00:00"],
    ]
    leads = [lead(f"L{i}") for i in range(1, 5)] + [lead("L5", created_at="2099-06-01")]
    outreach = [
        ["O1", "L1", "C1", "inmail", "", "2099-03-05T10:00:00", "", ""],
        ["O2", "L2", "C1", "email", "", "2026-03-05T10:00:00", "true", "2099-03-05T10:00:00"],
        ["O3", "L3", "C1", "email", "", "2026-03-05T10:00:00", "false", ""],
        ["O4", "L4", "C1", "email", "", "2026-03-05T10:00:00", "false", ""],
        ["O5", "L5", "C1", "email", "", "2026-03-05T10:00:00", "false", ""],
        # an outcome that cannot be read: no label, not "pending"; still a contact
        ["O6", "L4", "C1", "email", "", "2026-03-06T10:00:00", "2", ""],
    ]
    raw = write_raw(tmp_path / "raw", leads=leads, activities=activities, outreach=outreach)
    read = part_of(
        "+data_quality_issues",
        "+data_quality_summary",
        "+outreach",
        "+contact_attempts",
        "+lead_features",
    )
    # 2 of 6 contacts rejected
    build_input(dbt_project, raw, check=True, part=read, max_rejected_share=0.5)
    assert [i for i in issues(dbt_project) if i[1] == "O6"] == [
        ("outreach.csv", "O6", 7, "responded", "2", "responded not true/false", "row_rejected")
    ]
    assert dbt_project.query("select count(*) from outreach where contact_id = 'O6'") == [(0,)]
    assert ("L4", dt.datetime.fromisoformat("2026-03-06 10:00")) in dbt_project.query(
        "select lead_id, contacted_at from contact_attempts"
    )
    # the as-of follows the latest real activity, not 2099
    as_of = dbt_project.query("select distinct feature_as_of from lead_features")
    assert as_of == [(dt.datetime.fromisoformat("2026-03-09"),)]
    future = [i for i in issues(dbt_project) if "in the future" in i[5]]
    assert [
        (f, key, line, col, value, action) for f, key, line, col, value, _, action in future
    ] == [
        ("activities.csv", "A6", 7, "occurred_at", "2099-01-01T00:00:00", "row_rejected"),
        ("leads.csv", "L5", 6, "created_at", "2099-06-01", "value_set_to_null"),
        ("outreach.csv", "O1", 2, "contacted_at", "2099-03-05T10:00:00", "row_rejected"),
        ("outreach.csv", "O2", 3, "responded_at", "2099-03-05T10:00:00", "value_set_to_null"),
    ]
    assert all("after the build started" in i[5] for i in future)
    assert_accounted(dbt_project)


def test_an_as_of_in_the_past_scores_only_the_leads_that_existed(dbt_project, tmp_path):
    """A backfill (as_of set) scores the leads of that moment, not those created later; an as_of
    may carry an offset. A build of the current data scores every lead."""
    leads = [
        lead("L1"),  # created 2026-01-10
        lead("L2", created_at="2026-03-05T12:00:00"),
        lead("L3", created_at="2026-03-04T23:30:00-05:00"),  # 2026-03-05 04:30 UTC
        lead("L4", created_at=""),  # unknown: scored
        lead("L5", created_at="2026-03-12T08:00:00"),  # after the latest activity
    ]
    raw = write_raw(tmp_path / "raw", leads=leads)
    features = part_of("+lead_features")
    build_input(dbt_project, raw, check=True, part=features, as_of="2026-03-05T06:00:00+02:00")
    scored = "select lead_id, feature_as_of from lead_features order by lead_id"
    as_of = dt.datetime.fromisoformat("2026-03-05 04:00")
    assert dbt_project.query(scored) == [("L1", as_of), ("L4", as_of)]
    build_input(dbt_project, raw, check=True, part=features)
    # midnight after the latest activity (2026-03-07), L5 created after it included
    as_of = dt.datetime.fromisoformat("2026-03-08")
    assert dbt_project.query(scored) == [(f"L{i}", as_of) for i in range(1, 6)]


def test_as_of_after_the_build_time_is_refused(dbt_project, tmp_path):
    raw = write_raw(tmp_path / "raw")
    result = build_input(dbt_project, raw, as_of="2099-01-01")
    assert result.returncode != 0
    assert "Invalid dbt var as_of=2099-01-01: after the build's own time" in output(result)


# ----------------------------------------------------------------------------- 3. time zone

TZ_TABLES = ("lead_features", "lead_training_set", "data_quality_issues", "outreach", "leads")


def _snapshot(project):
    return {t: project.query(f"select * from {t} order by all") for t in TZ_TABLES}


def test_results_do_not_depend_on_the_machine_time_zone(tmp_path):
    activities = [
        ["A1", "L1", "email_open", "2026-03-01T23:30:00"],  # naive = UTC
        ["A2", "L2", "email_open", "2026-03-01T23:30:00-05:00"],  # = 2026-03-02 04:30 UTC
        ["A3", "L3", "email_open", "2026-03-08 22:00:00"],
    ]
    outreach = [
        ["O1", "L1", "C1", "inmail", "", "2026-03-02T01:00:00", "true", "2026-03-03T10:00:00"],
        ["O2", "L2", "C1", "inmail", "", "2026-03-02T03:00:00+01:00", "false", ""],
    ]
    raw = write_raw(tmp_path / "raw", activities=activities, outreach=outreach)
    # one build in this process, in the machine's zone (UTC on CI); one as a process in New York
    march = dt.datetime(2026, 3, 2, tzinfo=dt.UTC).timestamp()
    assert time.localtime(march).tm_gmtoff != -5 * 3600, "this machine is on New York time"
    here, new_york = DbtProject(tmp_path / "here"), DbtProject(tmp_path / "ny")
    here.workdir.mkdir()
    compared = part_of(*(f"+{table}" for table in TZ_TABLES))
    result = build_input(here, raw, part=compared)
    assert result.returncode == 0, output(result)
    new_york.workdir.mkdir()
    result = dbt_command(
        ["build", *compared],
        db_path=new_york.db_path,
        target_path=new_york.target_path,
        vars={"raw_data_path": str(raw)},
        check=False,
        extra_env={"TZ": "America/New_York"},
    )
    assert result.returncode == 0, output(result)
    assert _snapshot(new_york) == _snapshot(here)
    assert here.query("select contacted_at from outreach order by contact_id") == [
        (dt.datetime.fromisoformat("2026-03-02 01:00"),),
        (dt.datetime.fromisoformat("2026-03-02 02:00"),),
    ]
    # the default as-of: midnight after the latest activity, in UTC
    assert here.query("select distinct feature_as_of from lead_features") == [
        (dt.datetime.fromisoformat("2026-03-09"),)
    ]


def test_a_profile_without_utc_is_refused_under_another_time_zone(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "profiles.yml").write_text(
        "lead_scoring:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        f"      path: {tmp_path / 'x.duckdb'}\n      threads: 1\n"
    )
    dbt = str(Path(sys.executable).with_name("dbt"))
    result = subprocess.run(
        [
            dbt,
            "seed",
            "--select",
            "experiment_groups",
            "--project-dir",
            str(PROJECT_ROOT),
            "--profiles-dir",
            str(profiles),
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "TZ": "America/New_York",
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        check=False,
    )
    assert result.returncode != 0
    assert "The DuckDB session time zone is America/New_York, not UTC" in output(result)
    assert "settings: {TimeZone: UTC}" in output(result)


def test_a_build_database_named_like_a_duckdb_catalog_is_refused(tmp_path):
    """main.duckdb would build once, then fail every later build with a catalog error about
    renaming a table: refused before any model runs, naming the file."""
    project = DbtProject(tmp_path)
    project.db_path = tmp_path / "Main.duckdb"
    result = project.dbt("build", *INPUT_PART, check=False)
    assert result.returncode != 0
    assert f"The build database {project.db_path} is named 'Main'" in output(result)
    assert "Give the file another name (LEADSCORE_DB, or leadscore build --db)" in output(result)
    assert_nothing_built(project)


# ----------------------------------------------------------------------------- 4. literal paths


@pytest.mark.parametrize("folder", ["raw[1]", "raw*"])
def test_raw_data_path_is_taken_literally(dbt_project, tmp_path, folder):
    raw = write_raw(tmp_path / folder)
    # a sibling folder the glob pattern would match, with other leads
    write_raw(
        tmp_path / folder.replace("[1]", "1").replace("*", "X"),
        leads=[lead(f"SIBLING{i}") for i in range(5)],
    )
    build_input(dbt_project, raw, check=True, part=part_of("+leads", "+data_quality_summary"))
    assert dbt_project.query("select lead_id from leads order by 1") == [
        (f"L{i}",) for i in range(1, 6)
    ]
    assert dbt_project.query(
        "select distinct source_file from data_quality_summary order by 1"
    ) == [(f"{raw}/activities.csv",), (f"{raw}/leads.csv",), (f"{raw}/outreach.csv",), (None,)]


# ----------------------------------------------------------------------------- 5. partial builds


def test_a_partial_build_runs_no_test_of_a_model_it_leaves_out(tmp_path, monkeypatch):
    """`leadscore build --select` of the raw files' summary alone runs none of the tests that
    also read data_quality_issues (they would fail on the missing table), even for a project
    whose dbt default is eager selection (this one's is cautious: the environment overrides it)."""
    raw = write_raw(tmp_path / "raw")
    monkeypatch.setenv("DBT_INDIRECT_SELECTION", "eager")
    vars_ = json.dumps({"raw_data_path": str(raw), "export_dir": str(tmp_path / "exports")})
    argv = ["--db", tmp_path / "b.duckdb", "--target-path", tmp_path / "target", "--vars", vars_]
    result = leadscore_in_process(
        "build", *argv, "--no-publish", "--select", "+data_quality_summary"
    )
    assert result.returncode == 0, output(result)[-3000:]
    run_results = json.loads((tmp_path / "target" / "run_results.json").read_text())
    ran = {r["unique_id"].split(".")[2] for r in run_results["results"]}
    assert "rejected_share_within_limit_data_quality_summary_" in ran  # the summary's own test
    assert "data_quality_values_set_to_null_share" not in ran  # also reads the issues


# ----------------------------------------------------------------------------- 6. numbers


def test_decimal_commas_and_fractional_counts_are_issues(dbt_project, tmp_path):
    leads = [
        lead("L1", years_experience="2,5", followers="1,234"),
        lead("L2", years_experience="10,75", skills_count="2.5"),
        lead("L3", years_in_role="1,234.5", connections="1,5"),
        lead("L4", followers="12,34,567", recommendations_count="3.0"),
        lead("L5"),
    ]
    raw = write_raw(tmp_path / "raw", leads=leads)
    # two of five values of a column unreadable: a changed export at this size, unless allowed
    build_data_quality(dbt_project, raw, check=True, max_rejected_share=0.5)
    values = dbt_project.query(
        "select lead_id, years_experience, followers, skills_count, years_in_role, "
        "connections, recommendations_count from stg_leads order by lead_id"
    )
    assert values[:4] == [
        ("L1", None, 1234, 20, 2.5, 500, 1),
        ("L2", None, 1200, None, 2.5, 500, 1),
        ("L3", 10.0, 1200, 20, 1234.5, None, 1),
        ("L4", 10.0, None, 20, 2.5, 500, 3),
    ]
    comma = "not a number (a comma is read only as a thousands separator, as in 1,234)"
    assert [
        (key, col, value, reason)
        for _, key, _, col, value, reason, _ in issues(dbt_project, "leads.csv")
    ] == [
        ("L1", "years_experience", "2,5", comma),
        ("L2", "skills_count", "2.5", "not a whole number"),
        ("L2", "years_experience", "10,75", comma),
        ("L3", "connections", "1,5", comma),
        ("L4", "followers", "12,34,567", comma),
    ]


def test_a_column_mostly_unreadable_fails_the_build_naming_it(dbt_project, tmp_path):
    """An export that changed its date format: each value alone is dirt (kept, set to NULL),
    but more than max_rejected_share of a column unreadable is a changed export, and the
    features built on it would be NULL and the scores wrong: the build fails, naming the
    column and its commonest value."""
    us_dates = ["09/05/2024 1:18 PM", "09/05/2024 1:18 PM", "10/01/2024 9:00 AM"]
    leads = [lead(f"L{i}", created_at=d) for i, d in enumerate(us_dates, 1)]
    raw = write_raw(tmp_path / "raw", leads=[*leads, lead("L4"), lead("L5")])
    result = build_data_quality(dbt_project, raw)
    assert result.returncode != 0
    assert "FAIL 1 data_quality_values_set_to_null_share" in result.stdout, output(result)
    failing = dbt_project.query(
        f"select raw_file, column_name, input_rows, values_set_to_null, most_common_value "
        f"from ({dbt_project.compiled_test_sql('data_quality_values_set_to_null_share')}) as t"
    )
    assert failing == [("leads", "created_at", 5, 3, "09/05/2024 1:18 PM")]
    # the same file with a higher limit: the values are reported, the build goes on
    assert build_input(dbt_project, raw, max_rejected_share=0.6).returncode == 0


# ----------------------------------------------------------------------------- 9/10. malformed CSV


def test_malformed_rows_are_rejected_with_their_line_and_the_rest_is_used(dbt_project, tmp_path):
    lines = [
        ",".join(LEAD_HEADER),  # 1
        ",".join(lead("L1", full_name='"Ann\nSmith"')),  # 2-3: a quoted newline
        ",".join(lead("L2")) + ",extra",  # 4: a field too many
        "",  # 5: empty line
        "   ",  # 6: spaces only
        ",".join(lead("L3", followers="lots")),  # 7: a bad value
        ",".join(lead("L4"))[: -len(",2026-01-10T09:00:00")],  # 8: a field too few
        ",".join(lead("L5", full_name='"Bo\r\nBo"')),  # 9-10
        ",".join(lead("L1")),  # 11: duplicate of line 2
        ",".join(lead("L6", skills_count="x")),
    ]  # 12
    raw = write_raw(tmp_path / "raw", leads="\n".join(lines) + "\n")
    build_data_quality(dbt_project, raw, check=True, max_rejected_share=1)
    got = [
        (line, key, col, reason, action)
        for _, key, line, col, _, reason, action in issues(dbt_project, "leads.csv")
    ]
    assert got == [
        (
            4,
            None,
            None,
            "malformed CSV line: more fields than the header (Expected Number of Columns: 25 Found: 26)",
            "row_rejected",
        ),
        (6, None, None, "blank line (only spaces): not a row", "row_rejected"),
        (7, "L3", "followers", "not a number", "value_set_to_null"),
        (
            8,
            None,
            None,
            "malformed CSV line: fewer fields than the header (Expected Number of Columns: 25 Found: 24)",
            "row_rejected",
        ),
        (11, "L1", "lead_id", "duplicate lead_id (first seen on line 2)", "row_rejected"),
        (12, "L6", "skills_count", "not a number", "value_set_to_null"),
    ]
    assert dbt_project.query("select lead_id, full_name from stg_leads order by 1") == [
        ("L1", "Ann\nSmith"),
        ("L3", "Name L3"),
        ("L5", "Bo\r\nBo"),
        ("L6", "Name L6"),
    ]
    assert dbt_project.query(
        "select input_rows, accepted_rows, rejected_rows from data_quality_summary "
        "where raw_file = 'leads'"
    ) == [(8, 4, 4)]
    assert_accounted(dbt_project)


def test_line_numbers_stay_right_after_quoted_newlines_in_a_clean_file(dbt_project, tmp_path):
    rows = [
        lead("L1", job_title="Head of\nSales\nEMEA"),
        lead("L2"),
        lead("L3", followers="lots"),
        lead("L4", full_name="X\nY"),
        lead("L5", has_photo="maybe"),
    ]
    # written by a spreadsheet: a UTF-8 byte order mark, Windows line ends
    text = csv_text(LEAD_HEADER, rows).replace("\n", "\r\n")
    raw = write_raw(tmp_path / "raw", leads=b"\xef\xbb\xbf" + text.encode())
    build_data_quality(dbt_project, raw, check=True)
    got = [(line, key, col) for _, key, line, col, *_ in issues(dbt_project, "leads.csv")]
    assert got == [(6, "L3", "followers"), (9, "L5", "has_photo")]


def test_non_utf8_bytes_reject_the_row_naming_file_and_line(dbt_project, tmp_path):
    """Bytes that are not UTF-8 (Latin-1, Windows-1252 quotes) reject their row, named by file
    and line; UTF-8 text is read as written, whatever its characters (a right quote, an en dash
    and the euro sign are made of bytes a Latin-1 reader refuses)."""
    name = "Sandra O\u2019Young \u2013 \u20ac"
    rows = [lead(f"L{i}") for i in range(1, 6)] + [lead("L7", full_name=name)]
    head, *lines = csv_text(LEAD_HEADER, rows).encode().split(b"\n")
    lines.insert(2, ",".join(lead("L9", full_name="Ren\xe9e")).encode("latin-1"))  # line 4
    quoted = "\u201cBo\u201d"  # Windows-1252 quotes: bytes 0x93, 0x94
    lines.insert(4, ",".join(lead("L8", full_name=quoted)).encode("cp1252"))  # line 6
    raw = write_raw(tmp_path / "raw", leads=b"\n".join([head, *lines]))
    build_data_quality(dbt_project, raw, check=True, max_rejected_share=1)
    not_utf8 = "not valid UTF-8: the row was not read (save the file as UTF-8)"
    assert [
        (f, line, reason, action)
        for f, _, line, _, _, reason, action in issues(dbt_project, "leads.csv")
    ] == [("leads.csv", 4, not_utf8, "row_rejected"), ("leads.csv", 6, not_utf8, "row_rejected")]
    assert dbt_project.query("select count(*) from stg_leads") == [(6,)]
    assert dbt_project.query("select full_name from stg_leads where lead_id = 'L7'") == [(name,)]
    assert_accounted(dbt_project)
    # the header line itself in Latin-1: said so, not read as "missing columns" of line 2
    latin_head = head + ",Soci\xe9t\xe9".encode("latin-1")
    raw = write_raw(tmp_path / "latin", leads=b"\n".join([latin_head, *lines]))
    result = build_data_quality(DbtProject(tmp_path / "latin_build"), raw)
    assert result.returncode != 0
    assert f"{raw / 'leads.csv'}: its first line, the header, is not UTF-8 text" in output(result)
    # a spreadsheet's "Unicode text" (UTF-16): refused the same way, the encoding named
    text = csv_text(LEAD_HEADER, rows)
    raw = write_raw(tmp_path / "utf16", leads=text.encode("utf-16"))
    result = build_data_quality(DbtProject(tmp_path / "utf16_build"), raw)
    assert result.returncode != 0
    assert "is not UTF-8 text (saved as UTF-16, Windows-1252 or Latin-1?)" in output(result)


# ----------------------------------------------------------------------------- Parquet input


def test_parquet_rows_are_checked_like_csv_rows_with_their_row_numbers(dbt_project, tmp_path):
    """A Parquet file takes another path through the key check (read per part, not buffered):
    repeats, missing keys and bad values are rejected or reported with their row number."""
    activities = [
        ["A1", "L1", "email_open", "2026-03-01T10:00:00"],  # row 1
        ["A1", "L2", "email_open", "2026-03-02T10:00:00"],  # 2: repeats row 1's key
        ["", "L2", "email_open", "2026-03-02T11:00:00"],  # 3: no key
        ["A2", "L2", "post_like", " 2026-03-02T12:00:00 "],  # 4: spaces around a good time
        ["A3", "L3", "email_open", "yesterday"],  # 5
        ["A4", "L99", "email_open", "2026-03-03T10:00:00"],  # 6: no such lead
        ["A5", "L4", "Webinar", "2026-03-03T10:00:00"],  # 7: not in the vocabulary
    ]
    raw = write_raw(tmp_path / "raw", activities=activities)
    csv_file = raw / "activities.csv"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{csv_file}', all_varchar = true)) "
            f"to '{raw / 'activities.parquet'}' (format parquet)"
        )
    csv_file.unlink()
    build_data_quality(dbt_project, raw, check=True, max_rejected_share=1)
    assert issues(dbt_project, "activities.parquet") == [
        ("activities.parquet", "A1", 2, "activity_id", "A1",
         "duplicate activity_id (first seen on line 1)", "row_rejected"),
        ("activities.parquet", None, 3, "activity_id", None, "missing activity_id", "row_rejected"),
        ("activities.parquet", "A3", 5, "occurred_at", "yesterday",
         "occurred_at not an ISO-8601 timestamp", "row_rejected"),
        ("activities.parquet", "A4", 6, "lead_id", "L99",
         "unknown lead (not among the accepted leads)", "row_rejected"),
        ("activities.parquet", "A5", 7, "activity_type", "Webinar", "not an allowed value",
         "value_set_to_null"),
    ]  # fmt: skip
    assert dbt_project.query(
        "select activity_id, lead_id, activity_type, cast(occurred_at as varchar) "
        "from stg_activities order by 1"
    ) == [
        ("A1", "L1", "email_open", "2026-03-01 10:00:00"),
        ("A2", "L2", "post_like", "2026-03-02 12:00:00"),
        ("A5", "L4", None, "2026-03-03 10:00:00"),
    ]
    assert_accounted(dbt_project)
    # an extra column is ignored, but not one under the name the row numbers are read as
    parquet = raw / "activities.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select *, 7 as file_row_number from read_parquet('{parquet}')) "
            f"to '{raw / 'renumbered.parquet'}' (format parquet)"
        )
    (raw / "renumbered.parquet").replace(parquet)
    result = build_data_quality(dbt_project, raw, max_rejected_share=1)
    assert result.returncode != 0
    assert f"Raw input file {parquet} has a column named file_row_number" in output(result)


# ----------------------------------------------------------------------------- 11. vars


@pytest.mark.parametrize(
    ("vars_", "message"),
    [
        ({"as_of": "2026-13-45"}, "Invalid dbt var as_of=2026-13-45: expected a real date or time"),
        ({"as_of": "2026-02-30"}, "Invalid dbt var as_of=2026-02-30: expected a real date or time"),
        # no real offset is beyond +14:00; 1900-01-01 00:00+01:00 is 1899 in UTC
        (
            {"as_of": "2026-10-31T08:00+14:30"},
            "Invalid dbt var as_of=2026-10-31T08:00+14:30: expected a real date or time",
        ),
        (
            {"as_of": "1900-01-01T00:00+01:00"},
            "Invalid dbt var as_of=1900-01-01T00:00+01:00: expected a real date or time",
        ),
        (
            {"scoring_batch_size": "abc"},
            "Invalid dbt var scoring_batch_size=abc: expected a whole number",
        ),
        ({"max_rejected_share": 2}, "Invalid dbt var max_rejected_share=2: must be >= 0 and <= 1"),
        (
            {"commit_on_run_end": "maybe"},
            "Invalid dbt var commit_on_run_end=maybe: expected true or false",
        ),
        (
            {"coverage_target_min": 0.5, "coverage_target_max": 0.2},
            "coverage_target_min=0.5 > coverage_target_max=0.2",
        ),
        ({"model_dir": False}, "Invalid dbt var model_dir=False: expected text"),
        ({"export_dir": ["/x"]}, "Invalid dbt var export_dir=['/x']: expected text"),
        # found at the commit, after publishing, until the on-run-start checked it
        (
            {"export_dir": "/tmp/O'Neil exports"},
            "Invalid dbt var export_dir=/tmp/O'Neil exports: must name a folder, without a quote",
        ),
    ],
)
def test_every_var_is_validated_before_any_model_runs(dbt_project, tmp_path, vars_, message):
    raw = write_raw(tmp_path / "raw")
    result = dbt_project.dbt(
        "build", *INPUT_PART, vars={"raw_data_path": str(raw), **vars_}, check=False
    )
    assert result.returncode != 0
    assert message in output(result)
    assert_nothing_built(dbt_project)


def test_a_quote_never_closed_counts_every_line_it_swallows(dbt_project, tmp_path):
    """An unclosed quote swallows the rest of the file: each lost line is reported and counted,
    so the build fails on the rejected share instead of going green on two leads."""
    text = csv_text(LEAD_HEADER, [lead(f"L{i}") for i in range(1, 6)])
    lines = text.splitlines()
    lines[2] = lines[2].replace("Name L2", '"Name L2')  # line 3: the quote is never closed
    raw = write_raw(tmp_path / "raw", leads="\n".join(lines) + "\n")
    result = build_data_quality(dbt_project, raw)
    assert result.returncode != 0 and "rejected_share_within_limit" in result.stdout
    assert [(line, reason) for _, _, line, _, _, reason, _ in issues(dbt_project, "leads.csv")] == [
        (
            3,
            "malformed CSV line: a quote opened here is never closed; the next 3 line(s) were swallowed into it",
        ),
        (4, "inside a quote left open on line 3: not read"),
        (5, "inside a quote left open on line 3: not read"),
        (6, "inside a quote left open on line 3: not read"),
    ]
    assert dbt_project.query(
        "select input_rows, accepted_rows, rejected_rows from data_quality_summary "
        "where raw_file = 'leads'"
    ) == [(5, 1, 4)]
