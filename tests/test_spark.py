"""The whole project on Spark (dbt-spark, `method: session`, local), compared with DuckDB.

One Spark build of the bundled sample per test session (`leadscore build --target spark`,
profile target `spark`, warehouse and metastore in a temporary folder), run under a machine
time zone that is not UTC: every published table must equal the DuckDB session build's
(`sample_build`) value for value, so a Spark session that used the machine's zone would fail.
Without Java (or pyspark) these tests skip saying why; LEADSCORE_REQUIRE_SPARK=1 (set by
.ci/run) turns that skip into a failure.
"""

import csv
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import TREE_TABLES, DbtProject

from leadscore import card as cardmod
from leadscore import publish, train
from leadscore.dbt_runner import dbt_command
from leadscore.settings import DEFAULT_SAMPLE_DIR, PROJECT_ROOT

pytestmark = pytest.mark.spark

REQUIRE_ENV = "LEADSCORE_REQUIRE_SPARK"
MACHINE_TZ = "America/New_York"  # the Spark build runs under it; tables must not change
# Columns allowed to differ between two builds of the same data: when the build ran.
RUN_TIME_COLUMNS = {"scored_at", "first_scored_at", "evaluated_at"}
REL_TOL, ABS_TOL = 1e-9, 1e-12  # Spark (JVM) and DuckDB (C) round exp/ln differently


# ------------------------------------------------------------------------ skip or fail


def spark_unavailable():
    """Why Spark cannot run here (None when it can)."""
    missing = [m for m in ("pyspark", "dbt.adapters.spark") if importlib.util.find_spec(m) is None]
    if missing:
        return (
            f"{', '.join(missing)} not installed (`pip install -e '.[spark]'`; "
            "`make test` installs it)"
        )
    java = shutil.which("java")
    if java is None:
        return (
            "no Java runtime: `java` is not on PATH (Spark needs Java 17+, e.g. "
            "`apt-get install openjdk-17-jre-headless`; .ci/run installs it)"
        )
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`java -version` failed: {exc}"
    found = re.search(r'version "(\d+)', out.stderr + out.stdout)
    if out.returncode != 0 or not found or int(found.group(1)) < 17:
        return f"Spark needs Java 17+, `java -version` says: {(out.stderr or out.stdout).strip()[:200]}"
    return None


def require_spark():
    reason = spark_unavailable()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(
            f"the Spark suite must run ({REQUIRE_ENV}=1) but cannot: {reason}", pytrace=False
        )
    pytest.skip(f"Spark suite skipped: {reason}")


# ------------------------------------------------------------------------ the Spark build


class SparkBuild:
    """One Spark warehouse (tables + Derby metastore) and dbt target folder in `workdir`."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.target_path = workdir / "target"  # the build's manifest and run results
        self.ops_target_path = workdir / "target_ops"  # later dbt commands write theirs here
        self.export_dir = workdir / "exports"
        self.copies = workdir / "tables"  # published tables copied out as Parquet
        self.env = {"LEADSCORE_SPARK_DIR": str(workdir / "spark")}
        self.vars = {"raw_data_path": str(DEFAULT_SAMPLE_DIR), "export_dir": str(self.export_dir)}
        self.result = None

    def dbt(self, *args, vars=None, check=True):
        return dbt_command(
            [*args, "--target", "spark"],
            target_path=self.ops_target_path,
            vars={**self.vars, **(vars or {})},
            check=check,
            extra_env=self.env,
        )

    def build(self):
        """`leadscore build --target spark` under a machine time zone other than UTC."""
        env = {**os.environ, **self.env, "TZ": MACHINE_TZ, "PYTHONPATH": str(PROJECT_ROOT / "ml")}
        self.result = subprocess.run(
            [
                sys.executable,
                "-m",
                "leadscore.cli",
                "build",
                "--target",
                "spark",
                "--unit-tests",  # the SQL of every unit test, on Spark too
                "--target-path",
                str(self.target_path),
                "--vars",
                json.dumps(self.vars),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return self.result

    def artifacts(self):
        return tuple(
            json.loads((self.target_path / f).read_text())
            for f in ("manifest.json", "run_results.json")
        )

    def copy_tables(self, tables):
        self.dbt(
            "run-operation",
            "leadscore.spark_copy_tables",
            "--args",
            json.dumps({"tables": tables, "folder": str(self.copies)}),
        )


@pytest.fixture(scope="session")
def spark_build(tmp_path_factory):
    require_spark()
    build = SparkBuild(tmp_path_factory.mktemp("spark_build"))
    build.build()
    if build.result.returncode == 0:
        build.copy_tables(compared_tables(build.target_path))
    return build


def assert_built(build):
    assert build.result.returncode == 0, (
        f"leadscore build --target spark failed ({build.result.returncode}):\n"
        f"{build.result.stdout[-6000:]}\n{build.result.stderr[-3000:]}"
    )


# ------------------------------------------------------------------------ comparing tables


def _normalised_select(con, relation: str) -> tuple[list, list, str]:
    """(column names, kinds, select) reading `relation` with comparable Python values:
    timestamps as UTC epoch microseconds, decimals as doubles, dates as text."""
    names, kinds, exprs = [], [], []
    for name, dtype, *_ in con.execute(f"describe select * from {relation}").fetchall():
        t, q = dtype.upper(), '"' + name.replace('"', '""') + '"'
        if t.startswith("TIMESTAMP"):
            kind, expr = "timestamp", f"epoch_us({q})"
        elif t.startswith("DECIMAL") or t in ("DOUBLE", "FLOAT", "REAL"):
            kind, expr = "number", f"cast({q} as double)"
        elif t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"):
            kind, expr = "number", q
        elif t == "DATE":
            kind, expr = "date", f"cast({q} as varchar)"
        elif t == "BOOLEAN":
            kind, expr = "boolean", q
        else:
            kind, expr = "text", f"cast({q} as varchar)"
        names.append(name.lower())
        kinds.append(kind)
        exprs.append(f"{expr} as {q}")
    return names, kinds, f"select {', '.join(exprs)} from {relation}"


def read_table(con, relation: str, ignore=RUN_TIME_COLUMNS):
    names, kinds, sql = _normalised_select(con, relation)
    keep = [i for i, n in enumerate(names) if n not in ignore]
    rows = [tuple(row[i] for i in keep) for row in con.execute(sql).fetchall()]
    return [names[i] for i in keep], [kinds[i] for i in keep], sorted(rows, key=_sort_key)


def _sort_key(row):
    # floats rounded so that rows differing in the last bits still pair up
    return tuple(
        (0, 0) if v is None else (1, float(f"{v:.9g}")) if isinstance(v, float) else (1, v)
        for v in row
    )


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def table_differences(duck, spark, table: str) -> list[str]:
    """What differs between the DuckDB and the Spark version of one table (empty = equal)."""
    d_names, d_kinds, d_rows = duck
    s_names, s_kinds, s_rows = spark
    if d_names != s_names:
        return [f"{table}: columns differ: DuckDB {d_names} vs Spark {s_names}"]
    problems = [
        f"{table}.{n}: DuckDB {dk} vs Spark {sk}"
        for n, dk, sk in zip(d_names, d_kinds, s_kinds, strict=True)
        if dk != sk
    ]
    if len(d_rows) != len(s_rows):
        return [*problems, f"{table}: {len(d_rows)} rows on DuckDB, {len(s_rows)} on Spark"]
    for d_row, s_row in zip(d_rows, s_rows, strict=True):
        bad = [
            f"{n}: {dv!r} vs {sv!r}"
            for n, dv, sv in zip(d_names, d_row, s_row, strict=True)
            if not _same(dv, sv)
        ]
        if bad:
            problems.append(f"{table}: first differing row: " + "; ".join(bad[:5]))
            break
    return problems


def compared_tables(target_path: Path) -> list[str]:
    """The published tables plus the model artifact's tables (engine models/model: they test
    the Spark file readers), by the build's manifest."""
    manifest = json.loads((target_path / "manifest.json").read_text())
    return sorted(
        n["alias"] or n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] in publish.PUBLISHABLE_TYPES
        and n["config"].get("enabled", True)
        and (publish.PUBLISH_TAG in (n.get("tags") or []) or n["fqn"][:2] == ["leadscore", "model"])
    )


# ------------------------------------------------------------------------ tests


def test_spark_build_passes_every_model_and_test(spark_build):
    assert_built(spark_build)
    manifest, run_results = spark_build.artifacts()
    publish.check_run_results(run_results, manifest)  # every node that ran succeeded
    ran = {r["unique_id"] for r in run_results["results"]}
    expected = {
        uid
        for uid, n in {**manifest["nodes"], **manifest.get("unit_tests", {})}.items()
        if n["resource_type"] in ("model", "seed", "test", "unit_test")
        and n["config"].get("enabled", True)
        and n["config"].get("materialized") != "ephemeral"
    }
    assert expected - ran == set(), f"not run on Spark: {sorted(expected - ran)}"
    kinds = {uid.split(".")[0] for uid in ran}
    assert {"model", "seed", "test", "unit_test"} <= kinds


@pytest.fixture(scope="module")
def duckdb_reference(sample_build, tmp_path_factory):
    """The session build plus the tree tables, which DuckDB builds only for SQL scoring."""
    reference = DbtProject.copy_of(sample_build, tmp_path_factory.mktemp("duckdb_reference"))
    reference.dbt("run", "--select", *TREE_TABLES, vars={"scoring_engine": "sql"})
    return reference


def test_every_published_table_equals_duckdb(spark_build, sample_build, duckdb_reference):
    assert_built(spark_build)
    tables = compared_tables(spark_build.target_path)
    # lead_margins = XGBoost in Python, DuckDB only (on Spark lead_scores computes the margin
    # in SQL from the tree tables)
    duckdb_tables = [
        t for t in compared_tables(sample_build.build_target_path) if t != "lead_margins"
    ]
    assert tables == sorted(duckdb_tables + list(TREE_TABLES))
    assert {"lead_scores", "outreach_export", "model_card", "model_tree_nodes"} <= set(tables)
    problems = []
    with (
        duckdb.connect(str(duckdb_reference.db_path), read_only=True) as duck,
        duckdb.connect() as spark,
    ):
        for table in tables:
            copy = spark_build.copies / table
            spark_rows = read_table(spark, f"read_parquet('{copy}/*.parquet')")
            problems += table_differences(read_table(duck, f'"{table}"'), spark_rows, table)
    assert not problems, "Spark differs from DuckDB:\n" + "\n".join(problems)


def _csv_rows(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_export_file_equals_duckdb(spark_build, sample_build):
    assert_built(spark_build)
    spark_files = sorted(p.name for p in spark_build.export_dir.iterdir())
    duck_files = sorted(p.name for p in (sample_build.workdir / "exports").iterdir())
    assert spark_files == duck_files and len(spark_files) == 1, (spark_files, duck_files)
    spark_rows = _csv_rows(spark_build.export_dir / spark_files[0])
    duck_rows = _csv_rows(sample_build.workdir / "exports" / duck_files[0])
    assert spark_rows[0] == duck_rows[0]  # the header
    assert len(spark_rows) == len(duck_rows) > 1
    for s_row, d_row in zip(spark_rows, duck_rows, strict=True):  # same order, same values
        assert len(s_row) == len(d_row)
        for s, d in zip(s_row, d_row, strict=True):
            try:
                assert _same(float(s), float(d)), (s_row, d_row)
            except ValueError:
                assert s == d, (s_row, d_row)


def test_train_from_spark_gives_the_duckdb_card(spark_build, sample_build, tmp_path, monkeypatch):
    assert_built(spark_build)
    monkeypatch.setenv("LEADSCORE_SPARK_DIR", spark_build.env["LEADSCORE_SPARK_DIR"])
    quiet = lambda *a, **k: None  # noqa: E731
    from_spark = train.train(
        None,
        out=tmp_path / "from_spark",
        target="spark",
        echo=quiet,
        manifest=spark_build.target_path / "manifest.json",
    )
    from_duck = train.train(
        sample_build.db_path,
        out=tmp_path / "from_duckdb",
        echo=quiet,
        # the DuckDB build's own target: train refuses tables of another build than its results
        manifest=sample_build.build_target_path / "manifest.json",
    )
    spark_card, duck_card = (
        json.loads(cardmod.ModelCard.to_json(c)) for c in (from_spark, from_duck)
    )
    for card in (spark_card, duck_card):
        card.pop("created_at")
        card.pop("name")
        # sha256 of the features' exact bits: ln() (log_followers) differs in the last bit
        # between the JVM and DuckDB for a few rows, too little to move any XGBoost split
        card["training"].pop("data_fingerprint")
    differences = _json_differences(duck_card, spark_card)
    assert not differences, "cards differ:\n" + "\n".join(differences[:20])
    for member in ("booster_0.ubj", "tables/oof_predictions.jsonl"):
        assert (tmp_path / "from_spark" / member).read_bytes() == (
            tmp_path / "from_duckdb" / member
        ).read_bytes()


def _json_differences(a, b, path="card"):
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in _json_differences(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _json_differences(x, y, f"{path}[{i}]")
        ]
    return [] if _same(a, b) else [f"{path}: DuckDB {a!r} vs Spark {b!r}"]


def test_spark_session_time_zone_is_utc(spark_build):
    assert_built(spark_build)
    out = spark_build.dbt(
        "show",
        "--inline",
        "select current_timezone() as session_time_zone",
        "--output",
        "json",
        "--log-format",
        "json",
    )
    previews = [
        json.loads(json.loads(line)["data"]["preview"])
        for line in out.stdout.splitlines()
        if line.startswith("{") and '"ShowNode"' in line
    ]
    assert previews == [[{"session_time_zone": "UTC"}]]


# Runs last among the tests of the shared build: it rebuilds the scoring chain there.
SCORING_CHAIN = [
    "int_feature_spine",
    "int_activity_features",
    "int_lead_feature_values",
    "input_lead_features",
    "lead_features",
    "lead_scores",
    "lead_score_history",
]


def test_spark_history_rerun_replaces_only_its_partition(spark_build, sample_build):
    """The score history on Spark (commit = insert overwrite by model_version, feature_as_of):
    a committed build at another as_of adds a partition and keeps the first; re-running the
    first as_of replaces its partition instead of appending (its key test would fail on
    duplicates), and keeps when its scores were first committed (first_scored_at)."""
    assert_built(spark_build)
    # a rebuild of the scoring chain alone is not a complete build: it is committed explicitly,
    # as `leadscore publish` commits a checked build (commit_build; Spark: insert overwrite)
    spark_build.dbt("build", "--select", *SCORING_CHAIN, vars={"as_of": "2026-10-15"})
    spark_build.dbt("run-operation", "leadscore.commit_build", vars={"as_of": "2026-10-15"})
    spark_build.dbt("build", "--select", *SCORING_CHAIN)
    spark_build.dbt("run-operation", "leadscore.commit_build")
    copies = spark_build.workdir / "history_after_reruns"
    spark_build.copies, copies_before = copies, spark_build.copies
    try:
        spark_build.copy_tables(["lead_score_history"])
    finally:
        spark_build.copies = copies_before
    relation = f"read_parquet('{copies}/lead_score_history/*.parquet')"
    with duckdb.connect() as con:
        counts = dict(
            con.execute(
                f"select strftime(feature_as_of, '%Y-%m-%d'), count(*) from {relation} group by 1"
            ).fetchall()
        )
        latest = read_table(con, f"(select * from {relation} where feature_as_of <> '2026-10-15')")
        rerun_keeps_first = con.execute(
            f"select count(*) from {relation} "
            "where feature_as_of <> '2026-10-15' and first_scored_at < scored_at"
        ).fetchone()[0]
    assert counts == {"2026-10-15": 1303, "2026-10-31": 1303}
    assert rerun_keeps_first == 1303
    with duckdb.connect(str(sample_build.db_path), read_only=True) as duck:
        assert not table_differences(
            read_table(duck, "lead_score_history"), latest, "lead_score_history"
        )


# ------------------------------------------------------------------------ the raw reader

QUOTED_NEWLINE_LEAD = 3  # the 3rd lead's job title holds a line break inside quotes


def write_raw_folder(folder: Path, n_leads=40):
    """A raw folder exercising the readers: leads.csv whose 3rd record spans two lines (a
    quoted line break) and whose 5th has a quoted "" and a comma, activities.parquet,
    outreach.csv, no do_not_contact (optional)."""
    folder.mkdir()
    with open(DEFAULT_SAMPLE_DIR / "leads.csv", newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))[: n_leads + 1]
    title = header.index("job_title")
    rows[QUOTED_NEWLINE_LEAD - 1][title] = "Head of\nSales"
    rows[4][title] = 'VP, "Growth"'
    with open(folder / "leads.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n").writerows([header, *rows])
    ids = ", ".join(f"'{r[0]}'" for r in rows)
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_csv('{DEFAULT_SAMPLE_DIR}/activities.csv', all_varchar = true) "
            f"where lead_id in ({ids})) to '{folder}/activities.parquet' (format parquet)"
        )
    shutil.copyfile(DEFAULT_SAMPLE_DIR / "outreach.csv", folder / "outreach.csv")


RAW_MODELS = ["raw_leads", "raw_activities", "raw_outreach", "raw_do_not_contact"]


def test_spark_raw_reader_equals_duckdb(tmp_path, dbt_project):
    require_spark()
    raw = tmp_path / "raw"
    write_raw_folder(raw)
    spark = SparkBuild(tmp_path / "spark")
    spark.vars = {"raw_data_path": str(raw), "export_dir": str(spark.export_dir)}
    spark.dbt("run", "--select", *RAW_MODELS)
    spark.copy_tables(RAW_MODELS)
    dbt_project.dbt("run", "--select", *RAW_MODELS, vars={"raw_data_path": str(raw)})

    problems = []
    with duckdb.connect(str(dbt_project.db_path), read_only=True) as duck, duckdb.connect() as con:
        for model in RAW_MODELS:
            spark_rows = read_table(
                con, f"read_parquet('{spark.copies / model}/*.parquet')", ignore=()
            )
            problems += table_differences(
                read_table(duck, f'"{model}"', ignore=()), spark_rows, model
            )
        lines = con.execute(
            f"select lead_id, job_title, source_file, source_line "
            f"from read_parquet('{spark.copies}/raw_leads/*.parquet') order by source_line"
        ).fetchall()
        activity_rows = con.execute(
            f"select min(source_line), max(source_line), count(*) "
            f"from read_parquet('{spark.copies}/raw_activities/*.parquet')"
        ).fetchone()
    assert not problems, "Spark raw reader differs from DuckDB's:\n" + "\n".join(problems)
    # source_line = the line the record starts on (header = line 1): a quoted line break
    # inside the 3rd record moves every later record one line down
    assert [r[3] for r in lines] == [2, 3, 4, *range(6, 43)]
    assert lines[QUOTED_NEWLINE_LEAD - 1][1] == "Head of\nSales" and lines[4][1] == 'VP, "Growth"'
    assert {r[2] for r in lines} == {f"{raw}/leads.csv"}
    assert activity_rows[:2] == (1, activity_rows[2])  # Parquet: 1-based row numbers
    # a zero-byte export: Spark lists no such file, and the refusal says it may be empty
    (raw / "activities.parquet").unlink()
    (raw / "activities.csv").write_bytes(b"")
    empty = spark.dbt("run", "--select", "raw_activities", check=False)
    assert empty.returncode != 0
    assert (
        f"Raw input file missing or empty: neither {raw}/activities.csv nor activities.parquet "
        "exists with any content"
    ) in empty.stdout
