"""How long does publishing take, next to the dbt build it follows?

    .venv/bin/python benchmarks/publish_bench.py [--rows 1000000] [--skip-sample]

1. the bundled sample: `dbt build` (timed) into a temporary build database, then
   publish (timed) of every model tagged `published`;
2. synthetic builds: a lead_scores-like table (lead_id, score, tier, reasons ...) and a
   lead_features-like table (lead_id + 47 DOUBLE features) of --rows rows each,
   published through the same code path (real manifest/run_results shapes).
Everything happens in a temporary folder; nothing in the project is touched.
"""

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

import duckdb

from leadscore.dbt_runner import dbt_command
from leadscore.errors import UserError
from leadscore.publish import publish
from leadscore.settings import DEFAULT_SAMPLE_DIR


def _artifacts(target: Path, database: str, tables) -> None:
    meta = {
        "dbt_version": "bench",
        "invocation_id": str(uuid.uuid4()),
        "generated_at": "2026-01-01T00:00:00Z",
    }
    nodes, results = {}, []
    for name in tables:
        uid = f"model.bench.{name}"
        nodes[uid] = {
            "resource_type": "model",
            "name": name,
            "alias": name,
            "schema": "main",
            "database": database,
            "tags": ["published"],
            "config": {"enabled": True, "materialized": "table"},
        }
        results.append({"unique_id": uid, "status": "success"})
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(json.dumps({"metadata": meta, "nodes": nodes}))
    (target / "run_results.json").write_text(
        json.dumps({"metadata": meta, "results": results, "args": {"which": "build"}})
    )


def bench_sample(work: Path) -> None:
    db, target, out = (
        work / "sample_build.duckdb",
        work / "sample_target",
        work / "pub" / "lead_scoring.duckdb",
    )
    t0 = time.perf_counter()
    result = dbt_command(
        ["build"],
        db_path=db,
        target_path=target,
        vars={"raw_data_path": str(DEFAULT_SAMPLE_DIR)},
        check=False,
    )
    build_s = time.perf_counter() - t0
    if result.returncode != 0:
        print(
            f"sample: dbt build failed ({result.returncode}) after {build_s:.1f}s; not publishing"
        )
        return
    try:
        info = publish(db, target, out)
    except UserError as exc:  # publish refused, with its reason
        print(f"sample: dbt build {build_s:.1f}s; publish refused: {exc}")
        return
    rows = sum(t["row_count"] for t in info["tables"])
    print(
        f"sample: dbt build {build_s:.2f}s; publish {info['seconds']:.2f}s "
        f"({len(info['tables'])} tables, {rows} rows, {out.stat().st_size / 1e6:.1f} MB) "
        f"= {100 * info['seconds'] / build_s:.1f}% of the build time"
    )


def bench_synthetic(work: Path, rows: int) -> None:
    db = work / "synthetic.duckdb"
    t0 = time.perf_counter()
    feature_cols = ", ".join(
        f"((hash(i, {k}) % 10000) / 100.0)::DOUBLE as f{k:02d}" for k in range(47)
    )
    with duckdb.connect(str(db)) as con:
        con.execute(f"""create table lead_scores as select 'L' || lpad(i::varchar, 8, '0') as lead_id,
            (hash(i) % 100000) / 100000.0 as engagement_score,
            ['Low','Medium','High','Critical'][1 + (hash(i) % 4)::int] as priority_tier,
            (hash(i) % 100000) / 100000.0 as raw_score, 'linkedin_sample-0123456789' as model_version,
            'Many profile views; senior title; recent website visit' as reasons,
            timestamp '2026-01-01' as feature_as_of from range({rows}) t(i)""")
        con.execute(
            f"create table lead_features as select 'L' || lpad(i::varchar, 8, '0') as lead_id, "
            f"{feature_cols} from range({rows}) t(i)"
        )
    print(
        f"synthetic: created a {rows:,}-row build ({db.stat().st_size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - t0:.1f}s"
    )
    for tables in (["lead_scores"], ["lead_features"], ["lead_scores", "lead_features"]):
        target = work / ("target_" + "_".join(tables))
        _artifacts(target, "synthetic", tables)
        out = work / "pub" / "synthetic_published.duckdb"
        info = publish(db, target, out)
        print(
            f"synthetic: publish {' + '.join(tables)} ({rows:,} rows each): {info['seconds']:.2f}s, "
            f"file {out.stat().st_size / 1e6:.0f} MB"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-sample", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="publish_bench_") as tmp:
        work = Path(tmp)
        if not args.skip_sample:
            bench_sample(work)
        bench_synthetic(work, args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
