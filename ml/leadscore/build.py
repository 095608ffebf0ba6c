"""`leadscore build`: dbt build on the private build database, then publish for BI tools.

dbt writes only to the build database ($LEADSCORE_DB, default build/lead_scoring_build.duckdb),
which no BI tool opens, so a dashboard can never block a build. Only when `dbt build` exits 0
(every model and test passed) are the tables tagged `published` copied into
published/lead_scoring.duckdb, atomically (see leadscore.publish), and only once that
succeeded is the build committed: its scores join lead_score_history and the outreach list is
written (dbt itself commits nothing here: var commit_on_run_end = false). The build
database's lock (leadscore.locks) is held throughout, so two builds never overlap.
"""
import json
import sys
from pathlib import Path

import duckdb

from leadscore import locks
from leadscore import publish as publish_mod
from leadscore.dbt_runner import dbt_command
from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT, warehouse_path


def add_arguments(parser):
    parser.add_argument("--vars", default=None,
                        help='dbt vars as JSON, e.g. \'{"raw_data_path": "data/mine"}\'')
    parser.add_argument("--select", "-s", nargs="+", default=None,
                        help="dbt selection (passed to dbt build --select). Publishing still "
                             "requires every published model to be part of the build")
    parser.add_argument("--db", type=Path, default=None,
                        help="build database (default: $LEADSCORE_DB or build/lead_scoring_build.duckdb)")
    parser.add_argument("--target-path", type=Path, default=publish_mod.DEFAULT_TARGET_PATH,
                        help="dbt target folder (default: target/)")
    parser.add_argument("--out", "--published", dest="out", type=Path,
                        default=publish_mod.DEFAULT_PUBLISHED_PATH,
                        help="published database for BI tools (default: published/lead_scoring.duckdb)")
    publish_mod.add_storage_version_argument(parser)


def _parse_vars(text):
    if text in (None, ""):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"--vars must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise UserError("--vars must be a JSON object, e.g. '{\"raw_data_path\": \"data/mine\"}'")
    return value


def run(args) -> int:
    vars_ = _parse_vars(args.vars)
    db = Path(args.db if args.db is not None else warehouse_path()).absolute()
    target = Path(args.target_path).absolute()
    out = Path(args.out).absolute()
    if db.resolve() == out.resolve():
        raise UserError("--db and --out must differ: the published file is never built in place")
    db.parent.mkdir(parents=True, exist_ok=True)
    with locks.exclusive(db, f"the build database {db}"):
        return _build_publish_commit(args, vars_, db, target, out)


def _build_publish_commit(args, vars_, db: Path, target: Path, out: Path) -> int:
    _check_build_db_free(db, out)
    dbt_args = ["build"]
    if args.select:
        dbt_args += ["--select", *args.select]
    print(f"leadscore build: dbt build -> {db}", flush=True)
    build_vars = {**(vars_ or {}), "commit_on_run_end": False}
    result = dbt_command(dbt_args, db_path=db, target_path=target, vars=build_vars,
                         check=False, capture=False)
    if result.returncode != 0:
        print(f"leadscore build: dbt build failed (exit {result.returncode}); "
              f"{_shown(out)}, lead_score_history and the exports left unchanged", file=sys.stderr)
        return 1
    try:
        info = publish_mod.publish(db, target, out, storage_version=args.storage_version)
    except UserError as exc:
        raise UserError(f"dbt build succeeded but publishing failed: {exc}; "
                        f"{_shown(out)}, lead_score_history and the exports left unchanged") from None
    print("leadscore build: " + publish_mod.format_summary(info), flush=True)
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    publish_mod.commit_build(db, target, build_vars, publish_mod.build_date(run_results))
    print("leadscore build: committed (lead_score_history, outreach list)", flush=True)
    return 0


def _check_build_db_free(db: Path, out: Path) -> None:
    """Fail early, with advice, when another process holds the build database open."""
    try:
        duckdb.connect(str(db)).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise UserError(f"the build database {db} is open in another process ({exc}). "
                        f"Only dbt may open it: point BI tools and notebooks at {_shown(out)} "
                        "(read-only) instead, close that process, and build again") from None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
