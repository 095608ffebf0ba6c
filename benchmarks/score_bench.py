"""Scoring paths benchmark (not a test): both ways the engine computes lead_scores' margins,
beside XGBoost's own inplace_predict on the same feature matrix.

  .venv/bin/python benchmarks/score_bench.py [--leads 1000000] [--workdir /tmp/score_bench]
        [--model-dir ml/artifacts/linkedin_sample] [--reuse]

 1. `leadscore generate --leads N --contacted 0` (Parquet) into <workdir>/raw, unless --reuse.
 2. dbt builds everything lead_reasons needs once (isolated database and target folder).
 3. In this process: inplace_predict on the float32 matrix of lead_features (the reference),
    and the Python path (leadscore.scoring.margins_table: Arrow batches -> the same predict).
 4. Through dbt, from run_results.json: the node time of lead_scores on the Python path
    (lead_margins + lead_scores) and on the SQL path (var scoring_engine = sql), and
    lead_reasons (SQL contributions for the listed leads only).
Prints rows/s for each and its share of inplace_predict's rows/s.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

from leadscore.artifact import load_artifact
from leadscore.dbt_runner import dbt_command
from leadscore.scoring import FEATURES_ARRAY, margins_table, matrix_query
from leadscore.settings import DEFAULT_ARTIFACT_DIR


def _node_seconds(target: Path, names) -> dict:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {
        r["unique_id"].rsplit(".", 1)[-1]: r["execution_time"]
        for r in results
        if r["unique_id"].rsplit(".", 1)[-1] in names
    }


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:>12,.0f} rows/s" if seconds > 0 else "n/a"


def _prepare(args) -> tuple[Path, Path]:
    raw, db, target = args.workdir / "raw", args.workdir / "bench.duckdb", args.workdir / "target"
    if not (args.reuse and (raw / "leads.parquet").exists()):
        shutil.rmtree(args.workdir, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "leadscore.cli",
                "generate",
                "--out",
                str(raw),
                "--leads",
                str(args.leads),
                "--contacted",
                "0",
                "--format",
                "parquet",
            ],
            check=True,
        )
        dbt_command(
            [
                "build",
                "--select",
                "+lead_reasons",
                "model_tree_members",
                "--exclude-resource-type",
                "test",
                "unit_test",
            ],
            db_path=db,
            target_path=target,
            vars={"raw_data_path": str(raw), "model_dir": str(args.model_dir)},
        )
    return db, target


def _in_process(db: Path, model_dir: Path) -> tuple[int, float, float]:
    """(rows, inplace_predict seconds, Python path seconds) on the built lead_features."""
    artifact = load_artifact(model_dir)
    con = duckdb.connect(str(db))
    try:
        relation = con.sql("select * from lead_features")
        # the matrix the Python path scores (NULL -> NaN), whole, as a C-contiguous copy
        packed = con.sql(
            matrix_query(relation.sql_query(), artifact.feature_names)
        ).to_arrow_table()
        x = np.ascontiguousarray(
            packed.column(FEATURES_ARRAY)
            .combine_chunks()
            .flatten()
            .to_numpy()
            .reshape(-1, len(artifact.feature_names))
        )
        artifact.predict_margin(x[:1000])  # warm-up
        t0 = time.perf_counter()
        artifact.predict_margin(x)
        reference = time.perf_counter() - t0
        t0 = time.perf_counter()
        table = margins_table(con, relation, model_dir)
        python_path = time.perf_counter() - t0
        return table.num_rows, reference, python_path
    finally:
        con.close()


def _through_dbt(db: Path, target: Path, model_dir: Path) -> dict:
    vars_ = {"model_dir": str(model_dir)}
    dbt_command(
        ["run", "--select", "lead_margins", "lead_scores"],
        db_path=db,
        target_path=target,
        vars=vars_,
    )
    python_path = _node_seconds(target, {"lead_margins", "lead_scores"})
    dbt_command(  # the Python path's build has no tree tables: built here, not timed
        ["run", "--select", "model_tree_nodes", "model_tree_members", "lead_scores"],
        db_path=db,
        target_path=target,
        vars={**vars_, "scoring_engine": "sql"},
    )
    sql_path = _node_seconds(target, {"lead_scores"})
    dbt_command(["run", "--select", "lead_reasons"], db_path=db, target_path=target, vars=vars_)
    reasons = _node_seconds(target, {"lead_reasons"})
    return {
        "python": sum(python_path.values()),
        "sql": sql_path["lead_scores"],
        "reasons": reasons.get("lead_reasons", 0.0),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/score_bench"))
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_ARTIFACT_DIR)
    parser.add_argument("--reuse", action="store_true", help="reuse the generated data and build")
    args = parser.parse_args(argv)
    db, target = _prepare(args)
    rows, reference, python_path = _in_process(db, args.model_dir)
    nodes = _through_dbt(db, target, args.model_dir)
    listed = (
        duckdb.connect(str(db), read_only=True)
        .execute("select count(*) from lead_reasons")
        .fetchone()[0]
    )
    members = len(load_artifact(args.model_dir).boosters)
    print(f"\n{rows:,} leads, {members} booster(s) of {args.model_dir}")
    print(f"  XGBoost inplace_predict (reference)   {_rate(rows, reference)}")
    for name, seconds in (
        ("Python path, in process", python_path),
        ("Python path, dbt nodes", nodes["python"]),
        ("SQL path, dbt node", nodes["sql"]),
    ):
        share = (rows / seconds) / (rows / reference) if seconds > 0 else float("nan")
        print(f"  {name:<37} {_rate(rows, seconds)}  ({100 * share:.0f}% of inplace_predict)")
    print(f"  reason codes, {listed:,} listed leads (SQL) {_rate(listed, nodes['reasons'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
