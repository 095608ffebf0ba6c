"""The scale benchmarks' reference implementations reproduce the product's scores.

benchmarks/limit_script.py must give exactly the product's lead_scores (scores to 1e-9,
identical rank / percentile / tier); benchmarks/pandas_peer.py, a notebook-style peer, is
checked on the same data. One real dbt build of the scoring models on the bundled sample
plus deliberately messy rows (duplicates, padded keys, unknown leads, time-zone offsets,
bad numbers, unlisted vocabulary) — no timings are asserted anywhere.
"""

import csv
import shutil
import sys
from pathlib import Path

import pytest
from conftest import part_of

from leadscore.settings import DEFAULT_ARTIFACT_DIR, DEFAULT_SAMPLE_DIR, PROJECT_ROOT
from leadscore.synthetic import generate

sys.path.insert(0, str(PROJECT_ROOT / "benchmarks"))
import limit_script
import pandas_peer
from bench_common import connect_duckdb, sql_str

# the project's cautious selection keeps out the relationships test from
# outreach_eligible_leads (not built here), which would fail on the missing table
SCORING_SELECTION = part_of("+lead_scores")

# Leads appended to the sample: (changes to a copy of the first sample lead). Each row
# exercises one cleaning rule of models/staging.
MESSY_LEADS = [
    {"lead_id": "L00000001", "seniority": "vp"},  # duplicate key: rejected
    {
        "lead_id": "  L09000001 ",
        "connections": "1,234",
        "followers": "2.5",
        "seniority": " Director ",
        "company_size": "1,001-5,000",
        "email": "Foo.Bar@Gmail.COM",
    },
    {
        "lead_id": "L09000002",
        "connections": "lots",
        "followers": "-4",
        "years_in_role": "",
        "has_photo": "Yes",
        "is_premium": "N",
        "is_open_profile": "maybe",
        "seniority": "ceo",
        "email": "not-an-email",
        "created_at": "2026-05-01T10:00:00+02:00",
    },
    {
        "lead_id": "L09000003",
        "connections": "1e300",
        "followers": "3.5",
        "years_experience": "0",
        "company_size": "11 - 50",
        "job_function": " sales ",
        "industry": "SOFTWARE DEVELOPMENT",
        "country": "united states",
        "lead_source": "Inbound ",
        "created_at": "garbage",
    },
    {
        "lead_id": "L09000004",
        "email": "a@b",
        "lead_source": "newsource",
        "skills_count": "-1",
        "years_in_role": "30",
        "years_experience": "5",
        "created_at": "2027-01-01T00:00:00",
    },
    {"lead_id": "", "seniority": "vp"},  # missing key: rejected
    # created after the latest activity: scored all the same (lead_age_days NULL)
    {"lead_id": "L09000005", "created_at": "2026-11-02T10:00:00"},
]
# Activities appended: (activity_id, lead_id, activity_type, occurred_at).
MESSY_ACTIVITIES = [
    ("A0000000001", "L00000002", "message_reply", "2026-12-30T10:00:00"),  # duplicate id: rejected
    ("A9000000001", "L99999999", "message_reply", "2026-12-31T10:00:00"),  # unknown lead: rejected
    (
        "A9000000002",
        "L09000001",
        "Email_Open",
        "2026-10-29T23:30:00-03:00",
    ),  # offset -> next day UTC
    ("A9000000003", "L09000001", "email_click", "2026-10-01T08:00:00"),
    ("A9000000004", "L09000001", " webinar ", "2026-10-20T08:00:00"),  # unlisted type -> NULL
    ("A9000000005", " L09000002", "message_reply", "2026-08-01"),
    ("A9000000006", "L09000003", "profile_view", "yesterday"),  # bad time: rejected
    ("", "L09000003", "profile_view", "2026-10-10T10:00:00"),  # missing id: rejected
    ("A9000000007", "L09000004", "profile_view", "2026-10-30T23:59:59"),
]


def _append_csv(path: Path, rows):
    with open(path, "a", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)


def _messy_raw(dest: Path) -> Path:
    shutil.copytree(DEFAULT_SAMPLE_DIR, dest)
    with open(dest / "leads.csv", newline="") as fh:
        template = next(csv.DictReader(fh))
    _append_csv(
        dest / "leads.csv",
        [[{**template, **changes}[c] for c in generate.LEAD_COLUMNS] for changes in MESSY_LEADS],
    )
    _append_csv(dest / "activities.csv", MESSY_ACTIVITIES)
    return dest


@pytest.fixture(scope="module")
def messy_build(tmp_path_factory):
    from conftest import DbtProject

    work = tmp_path_factory.mktemp("bench_messy")
    raw = _messy_raw(work / "raw")
    project = DbtProject(work)
    project.dbt("build", *SCORING_SELECTION, vars={"raw_data_path": str(raw)})
    return project, raw, work


def _scores_compare(db_path, candidate_sql):
    con = connect_duckdb()
    con.execute(f"attach {sql_str(db_path)} as product (read_only)")
    from bench_common import compare_scores

    result = compare_scores(con, "product.lead_scores", candidate_sql, "candidate")
    con.close()
    return result


def test_limit_script_matches_product_exactly(messy_build):
    project, raw, work = messy_build
    out = work / "limit.parquet"
    stats = limit_script.run(raw, out, DEFAULT_ARTIFACT_DIR)
    assert stats["leads"] == 1303 + 5
    features = limit_script.check_features(project.db_path, raw, DEFAULT_ARTIFACT_DIR)
    assert features["matched"] == features["product_rows"] == 1308
    assert features["differing"] == {}
    result = limit_script.check_against(project.db_path, out)
    assert result["exact"], result
    assert result["max_abs_diff"] <= 1e-9


def test_pandas_peer_matches_product_on_messy_sample(messy_build):
    project, raw, work = messy_build
    out = work / "pandas.csv"
    pandas_peer.run(raw, out, DEFAULT_ARTIFACT_DIR)
    result = pandas_peer.check_against(project.db_path, out)
    assert result["exact"], result


@pytest.mark.fast
def test_generate_events_per_lead_scales_activity(tmp_path):
    few = generate.generate(tmp_path / "few", 2000, 20, seed=3, events_per_lead=1.0)
    many = generate.generate(tmp_path / "many", 2000, 20, seed=3, events_per_lead=10.0)
    assert few["leads"] == many["leads"] == 2000
    assert 0.8 < few["activities"] / 2000 < 1.3
    assert 9.0 < many["activities"] / 2000 < 11.0


def test_dbt_floor_mirrors_the_build_node_for_node(sample_build, tmp_path):
    """benchmarks/dbt_floor.py's mirror of the session build's DAG (constant one-row models)
    builds green and runs the same models, seeds and data tests by name, and as many Python
    models: the floor it measures is of this build's shape. No timing is asserted."""
    import json

    import dbt_floor

    from leadscore.dbt_runner import dbt_in_process

    def node_names(target):
        results = json.loads((target / "run_results.json").read_text())["results"]
        kinds = ("model", "seed", "test")  # unit tests are not mirrored, hooks differ in name
        return sorted(
            r["unique_id"].split(".")[2] for r in results if r["unique_id"].startswith(kinds)
        )

    manifest = json.loads((sample_build.build_target_path / "manifest.json").read_text())
    counts = dbt_floor.write_mirror(manifest, tmp_path / "mirror")
    python_models = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["language"] == "python"
    ]
    assert counts["python model"] == len(python_models) > 0
    built = dbt_in_process(
        ["build"],
        project_dir=tmp_path / "mirror",
        target_path=tmp_path / "target",
        db_path=tmp_path / "mirror.duckdb",
    )
    assert built.returncode == 0, built.stdout[-3000:]
    assert node_names(tmp_path / "target") == node_names(sample_build.build_target_path)


def test_suite_cpu_counts_the_tests_and_their_dbt_commands(tmp_path):
    """benchmarks/suite_cpu.py: CPU per test file and test, and each dbt command run in the
    test process, counted by command (its figures are in docs/development.md)."""
    import suite_cpu
    from dbt.cli.main import dbtRunner

    (tmp_path / "test_tiny.py").write_text(
        "from dbt.cli.main import dbtRunner\n\n"
        "def test_runs_dbt():\n    assert dbtRunner().invoke(['--version']).success\n\n"
        "def test_computes():\n    assert sum(range(10**6)) > 0\n"
    )
    plugin = suite_cpu.SuiteCpu()
    argv = ["-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)]
    assert pytest.main(argv, plugins=[plugin]) == 0
    assert sorted(n.split("::")[1] for n in plugin.per_test) == ["test_computes", "test_runs_dbt"]
    assert all(cpu > 0 for cpu in plugin.per_test.values())
    assert [command for command, _ in plugin.dbt_commands] == ["--version"]
    report = plugin.report()
    assert "in 2 tests" in report and "test_tiny.py" in report
    assert "1 x dbt --version" in report
    assert dbtRunner.invoke is plugin.original_invoke  # dbt as it was, after the run
