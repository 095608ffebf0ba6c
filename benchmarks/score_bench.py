"""Scoring benchmark (not a test): 1M synthetic leads through dbt build, then in-process timings.

  .venv/bin/python benchmarks/score_bench.py [--leads 1000000] [--workdir /tmp/score_bench]
        [--model-dir ml/artifacts/linkedin_sample] [--reuse-data] [--scoring-only]

Steps
 1. `leadscore generate --leads N --contacted 0` into <workdir>/raw (parquet), unless --reuse-data.
 2. `dbt build` on an isolated database/target in <workdir> (whole project; --scoring-only builds
    just the scoring/selection models and their parents). Prints wall time, lead_scores' node
    time from run_results.json and peak RSS of the dbt process (getrusage RUSAGE_CHILDREN).
 3. In this process, on the built lead_features: the library's scoring path
    (leadscore.scoring.score_relation: Arrow batches -> predict -> approx contribs -> reasons ->
    DuckDB temp table -> ranked relation materialised) next to plain xgboost inplace_predict on
    the same feature matrix (already in memory), the approx-contribs cost, and exact contribs
    on a sample for comparison.
"""
import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from leadscore.artifact import load_artifact
from leadscore.scoring import DEFAULT_BATCH_SIZE, ScoreStats, score_relation
from leadscore.settings import DEFAULT_ARTIFACT_DIR

SCORING_ONLY = ["--select", "+lead_scores", "+active_model", "+lead_score_history", "+outreach_export",
                "+rollout_phase3_production", "+outreach_by_threshold", "+rollout_phase1_validation",
                "+outreach_top_k",
                "--exclude-resource-type", "unit_test"]


def _rate(rows, seconds):
    return f"{rows / seconds:,.0f} rows/s" if seconds > 0 else "n/a"


def _dbt_measured(args, db, target, vars_):
    """Run dbt like leadscore.dbt_runner.dbt_command, polling the process's VmHWM (peak RSS)."""
    import os

    env = dict(os.environ, LEADSCORE_DB=str(db), DBT_LOG_PATH=str(Path(target) / "logs"),
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    root = Path(__file__).resolve().parents[1]
    cmd = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(root),
           "--profiles-dir", str(root / "profiles"), "--target-path", str(target),
           "--vars", json.dumps(vars_)]
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    hwm_kb = 0
    import threading

    out = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
    reader.start()
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm_kb = max(hwm_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    reader.join()
    return subprocess.CompletedProcess(cmd, proc.returncode, "".join(out), ""), hwm_kb / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/score_bench"))
    ap.add_argument("--model-dir", type=Path, default=DEFAULT_ARTIFACT_DIR)
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--reuse-data", action="store_true", help="keep <workdir>/raw if present")
    ap.add_argument("--scoring-only", action="store_true")
    ap.add_argument("--dbt-only", action="store_true", help="skip the in-process comparison")
    ap.add_argument("--exact-sample", type=int, default=50_000,
                    help="rows for the exact (non-approx) contributions comparison")
    args = ap.parse_args(argv)
    work = args.workdir
    raw = work / "raw"
    work.mkdir(parents=True, exist_ok=True)

    if not (args.reuse_data and (raw / "leads.parquet").exists()):
        shutil.rmtree(raw, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("leadscore")), "generate", "--out", str(raw),
                        "--leads", str(args.leads), "--contacted", "0", "--format", "parquet"],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"generate: {args.leads:,} leads in {time.perf_counter() - t:.1f}s")

    db = work / "warehouse.duckdb"
    target = work / "target"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    vars_ = {"raw_data_path": str(raw), "model_dir": str(args.model_dir.resolve()),
             "export_dir": str(work / "exports"), "scoring_batch_size": args.batch_size}
    t = time.perf_counter()
    result, dbt_hwm_mb = _dbt_measured(["build", *(SCORING_ONLY if args.scoring_only else [])],
                                       db, target, vars_)
    wall = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
    print(f"dbt build ({'scoring selection' if args.scoring_only else 'whole project'}): {status}, "
          f"wall {wall:.1f}s, peak RSS of the dbt process {dbt_hwm_mb:,.0f} MB (VmHWM); "
          f"children maxrss {peak_mb:,.0f} MB (includes the generator when it ran)")
    if result.returncode != 0:
        print("\n".join(line for line in result.stdout.splitlines() if "ERROR" in line or "Error" in line)[:4000])
    times = {}
    rr = target / "run_results.json"
    if rr.exists():
        for r in json.loads(rr.read_text())["results"]:
            times[r["unique_id"].split(".")[-1]] = (r["status"], r["execution_time"])
    slow = sorted(times.items(), key=lambda kv: -kv[1][1])[:8]
    print("slowest nodes: " + ", ".join(f"{k} {v[1]:.1f}s" for k, v in slow))
    if "lead_scores" not in times or times["lead_scores"][0] != "success":
        print("lead_scores was not built; stopping")
        return 1

    if args.dbt_only:
        return 0
    import duckdb

    con = duckdb.connect()
    con.execute(f"attach '{db}' as wh (read_only)")
    n = con.execute("select count(*) from wh.lead_features").fetchall()[0][0]
    art = load_artifact(args.model_dir)
    lead_scores_s = times["lead_scores"][1]
    print(f"\nleads scored: {n:,}; features: {len(art.feature_names)}; batch size {args.batch_size:,}")
    print(f"lead_scores node inside dbt: {lead_scores_s:.1f}s = {_rate(n, lead_scores_s)}")

    # Library path, in process (same code as the dbt model), materialising the ranked result.
    stats = ScoreStats()
    t = time.perf_counter()
    rel = score_relation(con, con.sql("select * from wh.lead_features"), art,
                         batch_size=args.batch_size, stats=stats)
    t_batches = time.perf_counter() - t
    con.execute("create temp table bench_scores as select * from rel")
    t_full = time.perf_counter() - t
    print(f"library scoring with reasons: {t_full:.1f}s = {_rate(n, t_full)} "
          f"(batches {t_batches:.1f}s: read {stats.read_s:.1f}, matrix {stats.matrix_s:.1f}, "
          f"predict {stats.predict_s:.1f}, approx contribs {stats.contribs_s:.1f}, "
          f"reasons/arrow {stats.post_s:.1f}, write {stats.write_s:.1f}; "
          f"rank+percentile+texts {t_full - t_batches:.1f}s)")
    stats2 = ScoreStats()
    t = time.perf_counter()
    rel2 = score_relation(con, con.sql("select * from wh.lead_features"), art,
                          batch_size=args.batch_size, stats=stats2, with_reasons=False)
    con.execute("create temp table bench_scores2 as select * from rel2")
    t_noreasons = time.perf_counter() - t

    # Plain XGBoost on the same feature matrix, already in memory (no I/O, no contributions).
    names = art.feature_names
    tbl = con.sql("select " + ", ".join(f'"{c}"' for c in names) + " from wh.lead_features").to_arrow_table()
    x = np.empty((tbl.num_rows, len(names)), dtype=np.float32)
    for j, c in enumerate(names):
        x[:, j] = tbl.column(c).to_numpy()
    del tbl
    art.booster.inplace_predict(x[:1000])  # warm-up
    t = time.perf_counter()
    plain = art.booster.inplace_predict(x)
    t_plain = time.perf_counter() - t
    mine = con.execute("select raw_score from bench_scores order by lead_id").fetchnumpy()["raw_score"]
    ids_plain = con.execute("select lead_id from wh.lead_features").fetchnumpy()["lead_id"]
    order = np.argsort(ids_plain)
    max_diff = float(np.abs(np.asarray(mine) - plain[order]).max())
    print(f"plain xgboost inplace_predict (matrix in memory): {t_plain:.2f}s = {_rate(n, t_plain)}")
    print(f"ratio library/plain: {t_full / t_plain:.1f}x with reasons, "
          f"{t_noreasons / t_plain:.1f}x without reasons ({t_noreasons:.1f}s); "
          f"max |raw_score - inplace_predict| = {max_diff:.2e}")
    print(f"approx contribs: {stats.contribs_s:.1f}s for {n:,} rows "
          f"({stats.contribs_s / n * 1e6:.1f} s per 1M rows)")
    import xgboost as xgb

    m = min(args.exact_sample, n)
    dm = xgb.DMatrix(x[:m], missing=np.nan, feature_names=names)
    t = time.perf_counter()
    art.booster.predict(dm, pred_contribs=True, approx_contribs=True)
    t_a = time.perf_counter() - t
    t = time.perf_counter()
    art.booster.predict(dm, pred_contribs=True)
    t_e = time.perf_counter() - t
    print(f"contribs on {m:,} rows: approx {t_a:.2f}s vs exact (TreeSHAP) {t_e:.2f}s "
          f"-> per 1M rows approx {t_a / m * 1e6:.0f}s, exact {t_e / m * 1e6:.0f}s")
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process peak RSS: {own_peak:,.0f} MB (includes the {x.nbytes / 2**20:,.0f} MB "
          "in-memory matrix of the plain-XGBoost comparison)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
