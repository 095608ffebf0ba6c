"""dbt's own floor: what a build of the product's shape costs in dbt alone, whatever the data.

    PYTHONPATH=ml .venv/bin/python benchmarks/dbt_floor.py [--repeats 3]

Mirrors the product's parsed DAG as a throwaway project: every model with its materialization
(Python models as Python models), every seed, every data test and hook, with the same
dependencies, but each model selects one constant row and each test reads one. Then times
`dbt build` of the product on the bundled sample (unit tests excluded, as `leadscore build`
does) and of the mirror, interleaved, in this process with each project's parse done once
beforehand, both on fresh DuckDB files under the product's profile (2 threads). The
difference is what the product's SQL, data and documentation cost on top of dbt's per-node
work; the mirror is the floor no change to our SQL can go below with this many nodes.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from leadscore.dbt_runner import dbt_in_process, parse_in_process
from leadscore.settings import DEFAULT_SAMPLE_DIR, PROJECT_ROOT

BUILT = ("model", "seed")  # the product has no snapshots; the mirror writes none
EXCLUDE_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


def built_parents(node: dict, nodes: dict) -> list[str]:
    return [
        nodes[uid]["name"]
        for uid in node.get("depends_on", {}).get("nodes", [])
        if uid in nodes and nodes[uid]["resource_type"] in BUILT
    ]


def sql_model(materialized: str, parents: list[str]) -> str:
    refs = "".join(f"-- depends_on: {{{{ ref('{p}') }}}}\n" for p in parents)
    return f"{{{{ config(materialized='{materialized}') }}}}\n{refs}select 1 as id\n"


def python_model(materialized: str, parents: list[str]) -> str:
    refs = "".join(f"    dbt.ref({p!r})\n" for p in parents)
    return (
        "import pandas as pd\n\n\ndef model(dbt, session):\n"
        f"    dbt.config(materialized={materialized!r})\n"
        f"{refs}"
        '    return pd.DataFrame({"id": [1]})\n'
    )


def data_test(parents: list[str]) -> str:
    """A test reading one row of each parent: like a not_null test of a one-row model."""
    reads = [f"select id from {{{{ ref('{p}') }}}} where id is null" for p in parents]
    return "\nunion all\n".join(reads or ["select 1 as id where false"]) + "\n"


def write_mirror(dag: dict, root: Path) -> dict:
    """The mirror project in root; returns its node counts."""
    nodes = dag["nodes"]
    for folder in ("models", "seeds", "tests"):
        (root / folder).mkdir(parents=True)
    counts = {"model": 0, "python model": 0, "seed": 0, "test": 0, "hook": 0}
    hooks = {"on-run-start": [], "on-run-end": []}
    for _, node in sorted(nodes.items()):
        kind, name = node["resource_type"], node["name"]
        parents = built_parents(node, nodes)
        if kind == "model" and node["language"] == "python":
            (root / "models" / f"{name}.py").write_text(
                python_model(node["config"]["materialized"], parents)
            )
            counts["python model"] += 1
        elif kind == "model":
            (root / "models" / f"{name}.sql").write_text(
                sql_model(node["config"]["materialized"], parents)
            )
            counts["model"] += 1
        elif kind == "seed":
            (root / "seeds" / f"{name}.csv").write_text("id\n1\n")
            counts["seed"] += 1
        elif kind == "test" and node["depends_on"]["nodes"]:
            # named like the product's test, to compare node by node (a test of a disabled
            # model stays in the manifest without parents, and never runs: left out)
            (root / "tests" / f"{name}.sql").write_text(data_test(parents))
            counts["test"] += 1
        elif kind == "operation":
            hooks["on-run-end" if "on-run-end" in node["tags"] else "on-run-start"].append(
                "select 1"
            )
            counts["hook"] += 1
    project = {
        "name": "dbt_floor",
        "version": "1.0",
        "config-version": 2,
        "profile": "lead_scoring",
        **hooks,
    }
    (root / "dbt_project.yml").write_text(json.dumps(project, indent=2))
    return counts


def timed_build(project_dir: Path, work: Path, name: str, manifest, vars: dict) -> dict:
    """One `dbt build` on a fresh database, with a parse made beforehand: wall and CPU seconds
    of the command, dbt's own elapsed time and node-seconds from run_results.json."""
    target = work / f"{name}_target"
    shutil.rmtree(target, ignore_errors=True)
    db = work / f"{name}.duckdb"
    db.unlink(missing_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    dbt_in_process(  # raises, with dbt's output, when the build fails
        ["build", *EXCLUDE_UNIT_TESTS],
        project_dir=project_dir,
        target_path=target,
        db_path=db,
        vars=vars,
        manifest=manifest,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    results = json.loads((target / "run_results.json").read_text())
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "dbt_elapsed_s": results["elapsed_time"],
        "node_s": sum(r["execution_time"] for r in results["results"]),
        "nodes": len(results["results"]),
        "node_seconds": node_seconds(results["results"]),
    }


def node_seconds(results: list[dict]) -> dict:
    """Seconds per node name (<type>.<package>.<name>[.<hash>]: the mirror's nodes carry the
    product's names); the hooks, named after their project, summed as one."""
    seconds = {}
    for result in results:
        kind, _, name = result["unique_id"].split(".")[:3]
        key = "(hooks)" if kind == "operation" else name
        seconds[key] = seconds.get(key, 0.0) + result["execution_time"]
    return seconds


def print_excess(runs: dict, top: int = 12) -> None:
    """The product's nodes costing most above their mirror (median node-seconds)."""
    product, mirror = (
        {
            node: statistics.median(r["node_seconds"].get(node, 0.0) for r in runs[name])
            for node in runs[name][0]["node_seconds"]
        }
        for name in ("product", "mirror")
    )
    excess = sorted(
        ((s - mirror.get(node, 0.0), node) for node, s in product.items()), reverse=True
    )
    print(f"node-seconds above the mirror: {sum(e for e, _ in excess):.2f}; the largest:")
    for seconds, node in excess[:top]:
        print(f"  {seconds:6.2f}  {node}")


def parsed(project_dir: Path, work: Path, name: str, vars: dict):
    manifest = parse_in_process(
        project_dir=project_dir,
        target_path=work / f"{name}_parse",
        db_path=work / f"{name}.duckdb",  # the database name is parsed in
        vars=vars,
    )
    if manifest is None:
        raise SystemExit(f"{name}: dbt parse failed (run `dbt parse` in {project_dir})")
    return manifest


def print_medians(runs: dict) -> dict:
    print(f"{'':8s} {'nodes':>5s} {'wall s':>7s} {'CPU s':>7s} {'dbt s':>7s} {'node-s':>7s}")
    medians = {}
    for name, rows in runs.items():
        m = {
            key: statistics.median(r[key] for r in rows) for key in rows[0] if key != "node_seconds"
        }
        print(
            f"{name:8s} {m['nodes']:5.0f} {m['wall_s']:7.2f} {m['cpu_s']:7.2f} "
            f"{m['dbt_elapsed_s']:7.2f} {m['node_s']:7.2f}"
        )
        medians[name] = m
    return medians


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dbt_floor_") as tmp:
        work = Path(tmp)
        product_vars = {"raw_data_path": str(DEFAULT_SAMPLE_DIR), "export_dir": str(work / "x")}
        product = parsed(PROJECT_ROOT, work, "product", product_vars)
        counts = write_mirror(product.writable_manifest().to_dict(), work / "mirror")
        mirror = parsed(work / "mirror", work, "mirror", {})
        projects = {
            "product": (PROJECT_ROOT, product_vars, product),
            "mirror": (work / "mirror", {}, mirror),
        }
        runs = {name: [] for name in projects}
        for repeat in range(args.repeats):
            order = list(projects) if repeat % 2 == 0 else list(projects)[::-1]
            for name in order:
                folder, vars, manifest = projects[name]
                # dbt compiles nodes into the manifest it is given: a copy per build
                build = timed_build(folder, work, name, copy.deepcopy(manifest), vars)
                runs[name].append(build)
    print("mirror of the product's DAG: " + ", ".join(f"{n} {k}s" for k, n in counts.items() if n))
    medians = print_medians(runs)
    print_excess(runs)
    share = medians["mirror"]["cpu_s"] / medians["product"]["cpu_s"]
    print(
        f"the floor (the mirror) is {share:.0%} of the product's CPU; medians of {args.repeats} interleaved runs"
    )
    if args.json:
        args.json.write_text(json.dumps({"counts": counts, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
