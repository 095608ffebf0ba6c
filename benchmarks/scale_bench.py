"""Scale benchmark: `leadscore build` against its hand-written limit and a pandas peer.

    PYTHONPATH=ml .venv/bin/python benchmarks/scale_bench.py --leads 1000000 --repeats 3
    PYTHONPATH=ml .venv/bin/python benchmarks/scale_bench.py --sizes 100000,1000000
    PYTHONPATH=ml .venv/bin/python benchmarks/scale_bench.py --leads 10000000 \\
        --events-per-lead 10 --repeats 1 --json /tmp/scale_10m.json

For one size it generates the raw folder once (`leadscore generate`, reused when present
under --workdir), then runs, interleaved (product, limit, pandas, product, limit, ...):
  product  `leadscore build` end to end: dbt build (every model and test) + publish, on an
           isolated build database / target / published file, wiped before every run
           (a fresh clone: full dbt parse, empty score history);
  limit    benchmarks/limit_script.py: DuckDB + inplace_predict, the same scores;
  pandas   benchmarks/pandas_peer.py: notebook-style pandas (skipped above --pandas-max-leads);
  scoring  (only with --only ...,scoring) the product doing just what the limit does: dbt build
           --select +lead_scores, seeds and models (raw readers, typed checks, features, XGBoost, rank, tier):
           product/scoring then prices the rest (tests, marts, reasons, publish, report).
Each run is a child process tree measured from outside: wall time, CPU time (user+sys of the
whole tree, from wait4) and peak RSS of the tree (sum over its processes, sampled every
0.1 s; the largest single process's exact peak is shown too). The table shows medians of the
repeats and the ratios product/limit and pandas/product, then where the product's time
goes (dbt's run_results.json), and checks + checksums of the scores so a run before and
after an optimisation can be compared. Benchmarks print figures; they never assert timings.

The machine is shared: the load average is printed next to every run; compare medians of
interleaved repeats, not single runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (
    REPO_ROOT,
    compare_scores,
    connect_duckdb,
    duckdb_limits,
    format_check,
    sql_str,
)

PYTHON = sys.executable
CONTENDERS = ("product", "limit", "pandas", "scoring")
DEFAULT_CONTENDERS = "product,limit,pandas"
PANDAS_MAX_LEADS = 2_000_000  # pandas holds ~100 bytes per event several times over


# ------------------------------------------------------------------------------------------
# Measuring a process tree from outside.


def _children_map() -> dict[int, list[int]]:
    """ppid -> [pid] for every process (one /proc scan)."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # after "(comm)": state, ppid, ...
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _tree_rss_bytes(root: int) -> tuple[int, dict[int, int]]:
    """Current RSS of root and all its descendants (sum, and per pid)."""
    tree = _children_map()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(tree.get(pid, []))
    per_pid = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                per_pid[pid] = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return sum(per_pid.values()), per_pid


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def measure(cmd: list[str], env: dict, log_path: Path, cwd=REPO_ROOT) -> dict:
    """Run cmd; return wall_s, cpu_s (user+sys of the tree), peak_rss_mb (tree, sampled),
    max_single_rss_mb (exact, the largest process), exit code and the load average."""
    load_before = os.getloadavg()[0]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak, peak_owner, done = 0, {}, threading.Event()
        timeline = []  # (unix time, tree RSS MB): lets the report say which node used memory

        def sample():
            nonlocal peak, peak_owner
            while not done.is_set():
                total, per_pid = _tree_rss_bytes(proc.pid)
                timeline.append((time.time(), total / 2**20))
                if total > peak:
                    peak, peak_owner = total, per_pid
                done.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of the child and its waited-for tree
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    biggest = max(peak_owner, key=peak_owner.get) if peak_owner else None
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": peak / 2**20,
        "max_single_rss_mb": usage.ru_maxrss / 1024,
        "biggest_process": _cmdline(biggest)[:80] if biggest else "",
        "exit_code": proc.returncode,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "log": str(log_path),
        "rss_timeline": timeline,
    }


# ------------------------------------------------------------------------------------------
# Data and the three contenders.


def child_env(args) -> dict:
    """Environment of every run: this checkout's package, and the DuckDB budget if given."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "ml"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    if args.memory_limit:
        env["LEADSCORE_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    if args.threads:
        env["LEADSCORE_DUCKDB_THREADS"] = str(args.threads)
    return env


def dataset(args, leads: int) -> Path:
    """The raw folder for this size (generated once; a .done marker records the counts)."""
    events = f"e{args.events_per_lead:g}" if args.events_per_lead else "e-natural"
    folder = args.workdir / "data" / f"leads{leads}_{events}_{args.format}"
    marker = folder / ".done"
    if marker.exists():
        info = json.loads(marker.read_text())
        print(f"data: reusing {folder} ({info['summary']})", flush=True)
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    contacted = args.contacted if args.contacted is not None else max(303, leads // 100)
    cmd = [
        PYTHON,
        "-m",
        "leadscore.cli",
        "generate",
        "--out",
        str(folder),
        "--leads",
        str(leads),
        "--contacted",
        str(contacted),
        "--format",
        args.format,
    ]
    if args.events_per_lead:
        cmd += ["--events-per-lead", str(args.events_per_lead)]
    print(f"data: generating {leads:,} leads into {folder} ...", flush=True)
    result = subprocess.run(
        cmd, cwd=REPO_ROOT, env=child_env(args), capture_output=True, text=True, check=False
    )  # the stderr tail goes into the error below
    if result.returncode != 0:
        raise SystemExit(f"generate failed:\n{result.stderr[-3000:]}")
    summary = result.stdout.strip().splitlines()[-1]
    print(summary, flush=True)
    marker.write_text(json.dumps({"summary": summary}))
    return folder


def contender_command(name: str, raw: Path, run_dir: Path) -> list[str]:
    if name == "product":
        vars_ = {"raw_data_path": str(raw), "export_dir": str(run_dir / "exports")}
        return [
            PYTHON,
            "-m",
            "leadscore.cli",
            "build",
            "--db",
            str(run_dir / "build.duckdb"),
            "--target-path",
            str(run_dir / "target"),
            "--out",
            str(run_dir / "published" / "lead_scoring.duckdb"),
            "--vars",
            json.dumps(vars_),
        ]
    if name == "scoring":
        # The product doing only what the limit does: read, check, features, score, rank
        # (`dbt build --select +lead_scores`, seeds and models: no tests, marts, reason codes,
        # publish or report), with the arguments and environment leadscore gives dbt.
        from leadscore.dbt_runner import dbt_argv, dbt_env

        args = ["build", "--select", "+lead_scores"]
        args += ["--resource-type", "seed", "--resource-type", "model"]
        argv = dbt_argv(args, REPO_ROOT, run_dir / "target", {"raw_data_path": str(raw)})
        env = dbt_env({}, run_dir / "build.duckdb", None)
        return [
            "env",
            *(f"{k}={v}" for k, v in env.items()),
            str(Path(PYTHON).with_name("dbt")),
            *argv,
        ]
    script = {"limit": "limit_script.py", "pandas": "pandas_peer.py"}[name]
    out = run_dir / ("scores.parquet" if name == "limit" else "scores.csv")
    return [PYTHON, str(REPO_ROOT / "benchmarks" / script), "--raw", str(raw), "--out", str(out)]


def run_once(name: str, raw: Path, run_dir: Path, env: dict, rep: int) -> dict:
    """One timed run in a wiped folder (the product's build database and spill folder included)."""
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    result = measure(contender_command(name, raw, run_dir), env, run_dir / "run.log")
    if name == "product" and result["exit_code"] == 0:
        # Read now: the next repeat wipes this run's target folder.
        result["nodes"] = node_times(run_dir / "target")
        result["memory_by_node"] = memory_by_node(run_dir / "target", result["rss_timeline"])
        result["publish_s"] = publish_seconds(run_dir / "run.log")
    status = (
        "ok"
        if result["exit_code"] == 0
        else f"FAILED (exit {result['exit_code']}, see {result['log']})"
    )
    print(
        f"  {name:<8} rep {rep}: wall {result['wall_s']:7.1f}s  cpu {result['cpu_s']:7.1f}s  "
        f"peak RSS {result['peak_rss_mb']:8,.0f} MB (largest process {result['max_single_rss_mb']:,.0f} MB)"
        f"  load {result['load_before']:.1f}->{result['load_after']:.1f}  {status}",
        flush=True,
    )
    return result


# ------------------------------------------------------------------------------------------
# What the product did: node times, checks, checksums.


def _phase(kind: str, path: str) -> str:
    """A node's stage of the pipeline, from its kind and source path (robust to new folders)."""
    if kind in ("test", "unit_test", "seed"):
        return kind + "s"
    parts = Path(path).parts
    if "python_models" in parts:
        return Path(path).stem  # lead_scores, active_model
    for folder in ("raw", "staging", "intermediate", "features", "marts"):
        if folder in parts:
            return folder
    return "other"


def node_times(target: Path) -> dict:
    """run_results.json of a product run: per-node seconds, totals per phase, dbt elapsed time."""
    rr = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    paths = {
        uid: n.get("original_file_path", "")
        for uid, n in {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}.items()
    }
    nodes = []
    for r in rr["results"]:
        uid = r["unique_id"]
        kind = uid.split(".")[0]
        nodes.append(
            {
                "node": uid.split(".", 2)[-1] if kind != "test" else uid.split(".")[2],
                "kind": kind,
                "phase": _phase(kind, paths.get(uid, "")),
                "seconds": r["execution_time"],
                "status": r["status"],
            }
        )
    nodes.sort(key=lambda n: -n["seconds"])
    totals: dict[str, float] = {}
    for n in nodes:
        totals[n["phase"]] = totals.get(n["phase"], 0.0) + n["seconds"]
    return {"elapsed_s": rr.get("elapsed_time"), "nodes": nodes, "totals": totals}


def _unix(iso: str) -> float:
    from datetime import UTC, datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC).timestamp()


def memory_by_node(target: Path, timeline: list) -> list[dict]:
    """Largest tree RSS sampled while each node ran (compile + execute), largest first; plus
    the time before the first node (start-up, parse) and after dbt finished (publish)."""
    rr = json.loads((target / "run_results.json").read_text())
    out, first_start = [], float("inf")
    for r in rr["results"]:
        spans = [
            (_unix(t["started_at"]), _unix(t["completed_at"]))
            for t in r.get("timing", [])
            if t.get("started_at") and t.get("completed_at")
        ]
        if not spans:
            continue
        start, end = min(a for a, _ in spans), max(b for _, b in spans)
        first_start = min(first_start, start)
        seen = [mb for t, mb in timeline if start <= t <= end]
        if seen:
            out.append(
                {
                    "node": r["unique_id"].split(".", 2)[-1],
                    "max_rss_mb": max(seen),
                    "seconds": end - start,
                }
            )
    finished = _unix(rr["metadata"]["generated_at"])
    for label, keep in (
        ("(before the first node: start-up, parse)", lambda t: t < first_start),
        ("(after dbt finished: publish)", lambda t: t > finished),
    ):
        seen = [(t, mb) for t, mb in timeline if keep(t)]
        if seen:
            out.append(
                {
                    "node": label,
                    "max_rss_mb": max(mb for _, mb in seen),
                    "seconds": seen[-1][0] - seen[0][0],
                }
            )
    return sorted(out, key=lambda n: -n["max_rss_mb"])


def publish_seconds(log: Path) -> float | None:
    for line in reversed(log.read_text(errors="replace").splitlines()):
        if "leadscore build: published" in line and " in " in line:
            try:
                return float(line.split(" in ")[1].split("s")[0])
            except (IndexError, ValueError):
                return None
    return None


def scores_checksum(con, relation: str) -> dict:
    """Row count, sum of scores (rounded: float sums depend on thread order) and an md5
    over (lead_id, rank) in rank order."""
    rows, total, digest = con.execute(f"""
        select count(*), round(fsum(engagement_score), 6),
               md5(string_agg(lead_id || ':' || score_rank, ',' order by score_rank))
        from {relation}""").fetchall()[0]
    return {"rows": rows, "sum_engagement_score": total, "md5_lead_rank": digest}


def checks(product_db: Path, limit_out, pandas_out, scoring_db=None) -> dict:
    """Compare the last limit / pandas / scoring outputs with the last product build (untimed)."""
    con = connect_duckdb(**duckdb_limits(default_temp_dir=str(product_db) + ".check.tmp"))
    con.execute(f"attach {sql_str(product_db)} as product (read_only)")
    out = {"product_checksum": scores_checksum(con, "product.lead_scores")}
    print(f"checksum product lead_scores: {out['product_checksum']}")
    candidates = {}
    if scoring_db and scoring_db.exists():
        con.execute(f"attach {sql_str(scoring_db)} as scoring (read_only)")
        candidates["scoring"] = "scoring.lead_scores"
    if limit_out and limit_out.exists():
        candidates["limit"] = f"read_parquet({sql_str(limit_out)})"
    if pandas_out and pandas_out.exists():
        candidates["pandas"] = (
            f"read_csv({sql_str(pandas_out)}, header = true, "
            "types = {'lead_id': 'VARCHAR', 'priority': 'VARCHAR'})"
        )
    for name, relation in candidates.items():
        result = compare_scores(con, "product.lead_scores", relation, name)
        result["checksum"] = scores_checksum(con, relation)
        print(format_check(result))
        print(f"checksum {name}: {result['checksum']}")
        out[name] = result
    con.close()
    return out


# ------------------------------------------------------------------------------------------
# Reporting.


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def print_table(leads: int, results: dict) -> dict:
    """Medians per contender and the ratios; returns the summary."""
    summary = {}
    print(
        f"\n=== {leads:,} leads: medians of {max(len(v) for v in results.values())} "
        "interleaved run(s) ==="
    )
    print(
        f"{'':<9}{'wall s':>9}{'cpu s':>9}{'peak RSS MB':>13}{'us/lead wall':>14}{'us/lead cpu':>13}"
        f"{'load':>7}  runs (wall s)"
    )
    for name, runs in results.items():
        ok = [r for r in runs if r["exit_code"] == 0]
        if not ok:
            print(f"{name:<9}{'failed':>9}")
            continue
        s = {k: median(ok, k) for k in ("wall_s", "cpu_s", "peak_rss_mb", "max_single_rss_mb")}
        s["us_per_lead_wall"] = s["wall_s"] / leads * 1e6
        s["us_per_lead_cpu"] = s["cpu_s"] / leads * 1e6
        summary[name] = s
        s["load"] = statistics.median((r["load_before"] + r["load_after"]) / 2 for r in ok)
        walls = ", ".join(f"{r['wall_s']:.1f}" for r in runs)
        print(
            f"{name:<9}{s['wall_s']:>9.1f}{s['cpu_s']:>9.1f}{s['peak_rss_mb']:>13,.0f}"
            f"{s['us_per_lead_wall']:>14.1f}{s['us_per_lead_cpu']:>13.1f}{s['load']:>7.1f}  {walls}"
        )
    ratios = {}
    for a, b in (
        ("product", "limit"),
        ("pandas", "product"),
        ("scoring", "limit"),
        ("product", "scoring"),
    ):
        if a in summary and b in summary:
            ratios[f"{a}/{b}"] = {
                k: summary[a][k] / summary[b][k] for k in ("wall_s", "cpu_s", "peak_rss_mb")
            }
            r = ratios[f"{a}/{b}"]
            print(
                f"ratio {a}/{b}: wall {r['wall_s']:.2f}x, cpu {r['cpu_s']:.2f}x, "
                f"peak RSS {r['peak_rss_mb']:.2f}x"
            )
    print(
        "(load = 1-minute load average around the runs, on "
        f"{os.cpu_count()} cores: above that, wall times are inflated; CPU times much less)"
    )
    summary["ratios"] = ratios
    return summary


def print_node_times(info: dict, wall_s: float, publish_s: float | None, top: int = 15) -> None:
    print(
        f"\nproduct, where the time goes (median-wall run; dbt runs 2 nodes at a time, so node "
        f"seconds overlap): wall {wall_s:.1f}s, dbt elapsed {info['elapsed_s']:.1f}s, "
        f"publish {publish_s if publish_s is not None else '?'}s, "
        f"startup/parse/other {wall_s - info['elapsed_s'] - (publish_s or 0):.1f}s"
    )
    print(
        "  node seconds by phase: "
        + ", ".join(
            f"{k} {v:.1f}s" for k, v in sorted(info["totals"].items(), key=lambda kv: -kv[1])
        )
    )
    for n in info["nodes"][:top]:
        print(f"  {n['seconds']:8.2f}s  {n['phase']:<13} {n['node']}")


def bench_size(args, leads: int, contenders: list[str]) -> dict:
    raw = dataset(args, leads)
    env = child_env(args)
    limits = duckdb_limits(args.memory_limit, args.threads)
    print(
        f"\n{leads:,} leads ({raw}); DuckDB memory_limit {limits['memory_limit']}, threads "
        f"{limits['threads']}; contenders {', '.join(contenders)}; {args.repeats} repeat(s)",
        flush=True,
    )
    runs_root = args.workdir / "runs" / raw.name
    results = {name: [] for name in contenders}
    for rep in range(1, args.repeats + 1):
        for name in contenders:
            results[name].append(run_once(name, raw, runs_root / name, env, rep))
    summary = print_table(leads, results)
    report = {
        "leads": leads,
        "raw": str(raw),
        "limits": limits,
        "runs": results,
        "summary": summary,
    }
    product_dir = runs_root / "product"
    product_ok = [r for r in results.get("product", []) if r["exit_code"] == 0]
    if product_ok:
        # Node times and memory of the median-wall product run (the typical one).
        typical = sorted(product_ok, key=lambda r: r["wall_s"])[(len(product_ok) - 1) // 2]
        print_node_times(typical["nodes"], typical["wall_s"], typical["publish_s"])
        print(
            "\nproduct, largest process-tree RSS sampled while a node ran (same run; two "
            "nodes may overlap):"
        )
        by_node = typical["memory_by_node"]
        shown = by_node[:8] + [n for n in by_node[8:] if n["node"].startswith("(")]
        for n in shown:
            print(f"  {n['max_rss_mb']:8,.0f} MB  {n['node']} ({n['seconds']:.1f}s)")
        report["product_nodes"] = typical["nodes"]
        report["product_memory_by_node"] = by_node[:20]
        report["product_publish_s"] = typical["publish_s"]
    if results.get("product") and results["product"][-1]["exit_code"] == 0:
        print()
        ran = lambda name, file: runs_root / name / file if name in contenders else None  # noqa: E731
        report["checks"] = checks(
            product_dir / "build.duckdb",
            ran("limit", "scores.parquet"),
            ran("pandas", "scores.csv"),
            ran("scoring", "build.duckdb"),
        )
    return report


def print_linearity(reports: list[dict]) -> None:
    print("\n=== per-lead cost across sizes (median wall / CPU microseconds per lead) ===")
    names = [n for n in CONTENDERS if any(n in r["summary"] for r in reports)]
    print(f"{'leads':>12}" + "".join(f"{n + ' wall':>16}{n + ' cpu':>14}" for n in names))
    for r in reports:
        cells = []
        for n in names:
            s = r["summary"].get(n)
            cells.append(
                f"{s['us_per_lead_wall']:>16.1f}{s['us_per_lead_cpu']:>14.1f}"
                if s
                else f"{'-':>16}{'-':>14}"
            )
        print(f"{r['leads']:>12,}" + "".join(cells))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--sizes", default=None, help="comma-separated lead counts (linearity mode)")
    ap.add_argument(
        "--events-per-lead",
        type=float,
        default=None,
        help="average activity events per lead (default: the generator's ~3.3)",
    )
    ap.add_argument(
        "--contacted",
        type=int,
        default=None,
        help="leads with a past contact (default: 1%% of leads, at least 303)",
    )
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/scale_bench"))
    ap.add_argument(
        "--only",
        default=DEFAULT_CONTENDERS,
        help="contenders to run, comma-separated (default product,limit,pandas; scoring on "
        "request: the product's own models up to lead_scores, what the limit does)",
    )
    ap.add_argument(
        "--pandas-max-leads",
        type=int,
        default=PANDAS_MAX_LEADS,
        help="skip the pandas peer above this many leads (it holds every event in memory)",
    )
    ap.add_argument(
        "--memory-limit",
        default=None,
        help="LEADSCORE_DUCKDB_MEMORY_LIMIT for the product and the limit (default: profile's)",
    )
    ap.add_argument("--threads", default=None, help="LEADSCORE_DUCKDB_THREADS for both")
    ap.add_argument("--json", type=Path, default=None, help="save every figure as JSON")
    args = ap.parse_args(argv)
    args.workdir = args.workdir.resolve()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.leads]
    print(
        f"scale_bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
        f"free disk {shutil.disk_usage(args.workdir.parent).free / 1e9:,.0f} GB at {args.workdir}"
    )
    reports = []
    for leads in sizes:
        contenders = [c for c in args.only.split(",") if c in CONTENDERS]
        if "pandas" in contenders and leads > args.pandas_max_leads:
            contenders.remove("pandas")
            print(
                f"pandas peer skipped at {leads:,} leads (above --pandas-max-leads "
                f"{args.pandas_max_leads:,}): it holds every event in memory, several times "
                "over (1.4-1.6 GB at 1M leads / 3.3M events), so 10M leads / 100M events "
                "is projected far above the 8 GB budget"
            )
        reports.append(bench_size(args, leads, contenders))
    if len(reports) > 1:
        print_linearity(reports)
    for report in reports:
        for runs in report["runs"].values():
            for run in runs:
                run["rss_timeline"] = run["rss_timeline"][::10]
    if args.json:
        args.json.write_text(
            json.dumps({"argv": sys.argv, "reports": reports}, indent=2, default=str)
        )
        print(f"\nfigures saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
