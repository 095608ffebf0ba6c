"""dbt inside the test process (leadscore.dbt_runner.dbt_in_process), with one parse per
session: later commands reuse that parse (the manifest) and still compile and run every node
with their own vars, database and target folder.

A parsed manifest holds what dbt rendered at parse time: the vars read in `config()` or in
the models' YAML configs and the database name (the DuckDB file's stem). Those are the cache key;
tests/test_dbt_in_process.py proves that every other var leaves the parse unchanged.

What the tests do not read is not written, saving CPU on every command: manifest.json and
run_results.json unless a test asks (write_json), and dbt's file log unless DBT_LOG_LEVEL_FILE
is set (the console log is each result's stdout).
"""

import json
import os
import pickle
from pathlib import Path

from leadscore import dbt_runner

# Vars that change what dbt parses: YAML configs (engine/models/scoring/_scoring.yml, which
# scorer is enabled there and in _model.yml) and which list the export refs (outreach_export).
PARSE_TIME_VARS = ("model_dir", "scoring_batch_size", "scoring_engine", "export_list")

_manifests = {}


def dbt_in_process(args, *, db_path, target_path, vars=None, check=True, write_json=False):
    """Run `dbt <args>` on the LinkedIn project in this process; returns a CompletedProcess
    whose stdout is dbt's console log. (Only this project: its parse-time vars are the ones
    tests/test_dbt_in_process.py checks.)"""
    vars = vars or {}
    # `dbt parse` given a manifest would only write it out: it always parses
    manifest = None if args[0] == "parse" else _parsed_manifest(db_path, vars)
    if manifest is not None and not write_json:
        args = [*args, "--no-write-json"]
    return dbt_runner.dbt_in_process(
        args,
        target_path=target_path,
        db_path=db_path,
        vars=vars,
        manifest=manifest,
        check=check,
        extra_env={"DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "none")},
    )


def _parsed_manifest(db_path, vars):
    parse_vars = {name: vars[name] for name in PARSE_TIME_VARS if name in vars}
    key = (Path(db_path).stem, json.dumps(parse_vars, sort_keys=True))
    if key not in _manifests:
        folder = Path(db_path).parent / "parse_target"
        manifest = dbt_runner.parse_in_process(target_path=folder, db_path=db_path, vars=parse_vars)
        if manifest is None:
            return None  # the command itself parses and reports the error
        _manifests[key] = pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL)
    # dbt compiles nodes into the manifest it is given: each command gets its own copy (from
    # pickled bytes: half the CPU of copy.deepcopy).
    return pickle.loads(_manifests[key])
