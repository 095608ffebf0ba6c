"""SQL scoring benchmark (not a test): the XGBoost -> SQL macros on DuckDB next to XGBoost.

  PYTHONPATH=ml .venv/bin/python benchmarks/sql_score_bench.py [--sizes 100000,1000000]
        [--members 0] [--max-contribution-rows 1000000] [--workdir /tmp/sql_score_bench]

Models: the shipped model (ml/artifacts/linkedin_sample: its fold boosters, margins averaged)
and, with --members N, an ensemble of N boosters trained with modelling.fit_booster (the
product's parameters, seeds 1..n) on 20,000 synthetic rows labelled by the shipped booster.
Features: synthetic numpy rows in the booster's feature space (values drawn around the split
points, 5% NULL), written to a DuckDB table with the scoring keys (lead_id, feature_as_of).

For each model and size, the SQL is rendered by dbt from the real macros (a throwaway project,
tests/sql_project.py; `dbt compile` time is printed) and then run by DuckDB in this process
(create table <model> as <sql>, DuckDB's default threads): margin, contributions, and the
top-3 reasons picked from the contributions table. XGBoost runs on the same matrix already
in memory: inplace_predict (margin) and predict(pred_contribs, approx_contribs).
Each SQL line also prints the largest |SQL - XGBoost| difference (margins: all rows;
contributions incl. the bias: the first CHECKED_ROWS leads), so a fast but wrong SQL cannot
hide.
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import xgboost as xgb

from leadscore import modelling, trees
from leadscore.artifact import load_artifact
from leadscore.settings import DEFAULT_ARTIFACT_DIR

# test tooling: a dbt project around the macros
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from sql_project import SqlScoringProject

KEYS = ["lead_id", "feature_as_of"]
NULL_SHARE = 0.05
TRAINING_ROWS = 20_000
CHECKED_ROWS = 10_000


def synthetic_features(booster, n: int, seed: int) -> np.ndarray:
    """n rows (NaN = NULL): each feature drawn between and on its split points, so every
    branch of every tree is taken; features the booster never splits on are 0."""
    rng = np.random.default_rng(seed)
    names = booster.feature_names
    splits = {name: [] for name in names}
    for row in trees.tree_node_rows(booster):
        if not row["is_leaf"]:
            splits[row["feature"]].append(row["split"])
    x = np.zeros((n, len(names)))
    for j, name in enumerate(names):
        if splits[name]:
            s = np.unique(splits[name])
            low, high = s[0] - 1, s[-1] + 1
            x[:, j] = np.where(rng.random(n) < 0.2, rng.choice(s, n), rng.uniform(low, high, n))
    x[rng.random(x.shape) < NULL_SHARE] = np.nan
    return x


def train_ensemble(shipped, members: int):
    """members boosters with the product's parameters, on rows labelled by the shipped model."""
    import pandas as pd

    x = synthetic_features(shipped, TRAINING_ROWS, seed=99)
    p = 1 / (1 + np.exp(-shipped.inplace_predict(x, predict_type="margin")))
    y = (np.random.default_rng(7).random(len(p)) < p).astype(int)
    frame = pd.DataFrame(x, columns=shipped.feature_names)
    return [modelling.fit_booster(frame, y, seed) for seed in range(1, members + 1)]


def feature_table(x: np.ndarray, names) -> pa.Table:
    n = len(x)
    columns = {
        "lead_id": pa.array([f"L{i:08d}" for i in range(n)]),
        "feature_as_of": pa.array(np.full(n, np.datetime64("2026-11-01T00:00:00", "us"))),
    }
    for j, name in enumerate(names):
        columns[name] = pa.array(x[:, j], mask=np.isnan(x[:, j]))
    return pa.table(columns)


def timed(fn):
    """(result, wall seconds, CPU seconds). CPU = all threads of this process (DuckDB's and
    XGBoost's): a fairer figure than wall time on a busy machine."""
    start, cpu_start = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu_start


def run_model(con, project, model: str) -> tuple[float, float]:
    """(wall, CPU) seconds to run a model's rendered SQL into a table of the model's name
    (where ref() in later models finds it)."""
    sql = project.compiled_sql(model)
    _, wall, cpu = timed(lambda: con.execute(f'create or replace table "{model}" as {sql}'))
    return wall, cpu


def margin_error(con, table, members, x) -> float:
    # lead ids are zero-padded row numbers, so ordering by them gives the matrix order
    got = con.execute(f"select raw_margin from {table} order by lead_id").fetchnumpy()
    return float(np.max(np.abs(got["raw_margin"] - trees.predict_margin(members, x))))


def contribution_error(con, table, expected, names) -> float:
    got = con.execute(
        "select cast(substr(lead_id, 2) as integer) as row_number, "
        f"coalesce(feature, '<bias>') as feature, contribution from {table} "
        f"where lead_id < 'L{CHECKED_ROWS:08d}'"
    ).fetchnumpy()
    position = {name: j for j, name in enumerate([*names, "<bias>"])}
    matrix = np.zeros((CHECKED_ROWS, len(names) + 1))
    matrix[got["row_number"], [position[f] for f in got["feature"]]] = got["contribution"]
    return float(np.max(np.abs(matrix - expected[:CHECKED_ROWS])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--members",
        type=int,
        default=0,
        help="also an ensemble of this many boosters trained here (0: only the shipped one)",
    )
    parser.add_argument(
        "--max-contribution-rows",
        type=int,
        default=1_000_000,
        help="skip the contributions path above this many rows",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sql_score_bench"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    deployed = load_artifact(DEFAULT_ARTIFACT_DIR).boosters  # the shipped fold-booster ensemble
    shipped = deployed[0]
    names = list(shipped.feature_names)
    models = {"shipped": deployed}
    if args.members:
        models[f"ensemble{args.members}"] = train_ensemble(shipped, args.members)

    shutil.rmtree(args.workdir, ignore_errors=True)
    project = SqlScoringProject(args.workdir)
    matrices = {}
    for n in sizes:
        matrices[n] = synthetic_features(shipped, n, seed=n)
        project.add_features(f"features_{n}", feature_table(matrices[n], names))
    for model, members in models.items():
        project.add_model_tables(model, members)
        for n in sizes:
            features = f"source('input', 'features_{n}')"
            project.add_model(
                f"margin_{model}_{n}",
                f"{{{{ leadscore.xgboost_margin_sql({features}, "
                f"ref('{model}_nodes'), ref('{model}_members'), {KEYS!r}) }}}}",
            )
            project.add_model(
                f"contrib_{model}_{n}",
                f"{{{{ leadscore.xgboost_contributions_sql({features}, "
                f"ref('{model}_nodes'), ref('{model}_paths'), {KEYS!r}) }}}}",
            )
            project.add_model(
                f"reasons_{model}_{n}",
                f"{{{{ leadscore.xgboost_reason_codes_sql("
                f"ref('contrib_{model}_{n}'), {KEYS!r}) }}}}",
            )
    project.dbt("run", "--select", "*_nodes", "*_members", "*_paths")
    _, compile_s, _ = timed(
        lambda: project.dbt("compile", "--select", "margin_*", "contrib_*", "reasons_*")
    )
    con = project.connect(read_only=False)
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    print(
        f"dbt compile of {3 * len(models) * len(sizes)} scoring models: {compile_s:.1f} s; "
        f"DuckDB threads: {threads}"
    )
    print(
        f"{'model':12s} {'rows':>9s} {'path':24s} {'seconds':>8s} {'rows/s':>11s} "
        f"{'cpu s':>8s} {'rows/cpu-s':>12s} {'max |diff|':>11s}"
    )
    for model, members in models.items():
        for n in sizes:
            x = matrices[n]

            # model and n bound as defaults (B023); every call happens in this iteration anyway.
            def line(path, wall, cpu, diff="", model=model, n=n):
                print(
                    f"{model:12s} {n:9d} {path:24s} {wall:8.2f} {n / wall:11,.0f} "
                    f"{cpu:8.2f} {n / cpu:12,.0f} {diff:>11s}",
                    flush=True,
                )

            wall, cpu = run_model(con, project, f"margin_{model}_{n}")
            line(
                "SQL margin",
                wall,
                cpu,
                f"{margin_error(con, f'margin_{model}_{n}', members, x):.1e}",
            )
            _, wall, cpu = timed(
                lambda x=x, members=members: [
                    b.inplace_predict(x, predict_type="margin") for b in members
                ]
            )
            line("XGBoost inplace_predict", wall, cpu)
            if n > args.max_contribution_rows:
                continue
            sql_wall, sql_cpu = run_model(con, project, f"contrib_{model}_{n}")
            dm = xgb.DMatrix(x, feature_names=names, missing=np.nan)
            expected, wall, cpu = timed(
                lambda dm=dm, members=members: (
                    sum(
                        b.predict(dm, pred_contribs=True, approx_contribs=True).astype(np.float64)
                        for b in members
                    )
                    / len(members)
                )
            )
            line(
                "SQL contributions",
                sql_wall,
                sql_cpu,
                f"{contribution_error(con, f'contrib_{model}_{n}', expected, names):.1e}",
            )
            line("XGBoost approx contribs", wall, cpu)
            line("SQL top-3 reasons", *run_model(con, project, f"reasons_{model}_{n}"))
            con.execute(f'drop table "contrib_{model}_{n}"')  # long form: ~45 rows per lead
    con.close()


if __name__ == "__main__":
    main()
