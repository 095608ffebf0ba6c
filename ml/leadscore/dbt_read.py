"""Read a warehouse table through dbt itself, for targets Python cannot open as a file (Spark).

`dbt show` runs the engine macro `table_as_json_rows` on the target, which returns the column
names and types in one row and every table row as a JSON object (formatted by the warehouse:
timestamps in its session time zone, UTC; doubles round-trip exactly). Going through dbt reuses
the target's profile as it is: a local Spark session or a cluster behind thrift/http alike.
"""

import json

import pandas as pd

from leadscore.dbt_runner import dbt_command
from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT

# Warehouse type names as DuckDB spells them, so a card trained from Spark lists the same
# feature types as one trained from DuckDB.
_TYPE_NAMES = {
    "string": "VARCHAR",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "int": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "timestamp": "TIMESTAMP",
    "timestamp_ntz": "TIMESTAMP",
    "date": "DATE",
}


def read_table(table: str, target: str, *, target_path=None, vars=None, project_dir=PROJECT_ROOT):
    """(frame, columns) of `table` (optionally schema.table) on dbt target `target`; columns =
    [(name, type, comment)] in table order, typed like train.load_training_data's."""
    schema, _, name = table.rpartition(".")
    inline = (
        "{{ leadscore.table_as_json_rows(" + json.dumps(schema) + ", " + json.dumps(name) + ") }}"
    )
    result = dbt_command(
        [
            "show",
            "--inline",
            inline,
            "--limit",
            "-1",
            "--output",
            "json",
            "--log-format",
            "json",
            "--target",
            target,
        ],
        target_path=target_path,
        vars=vars,
        project_dir=project_dir,
        check=False,
    )
    if result.returncode != 0:
        raise UserError(
            f"cannot read {table} from dbt target {target}: "
            f"{_dbt_errors(result.stdout) or result.stderr.strip()[-2000:]}"
        )
    parts = _show_rows(result.stdout)
    header = [json.loads(r["payload"]) for r in parts if r["part"] == 0]
    if len(header) != 1:
        raise UserError(f"dbt show on target {target} returned no column list for {table}")
    columns = [(n, _type_name(t), None) for n, t in header[0]]
    rows = [json.loads(r["payload"]) for r in parts if r["part"] == 1]
    return _typed_frame(rows, columns), columns


def _type_name(spark_type: str) -> str:
    t = spark_type.lower()
    if t.startswith("decimal"):
        return t.upper()
    return _TYPE_NAMES.get(t, t.upper())


def _typed_frame(rows: list, columns: list) -> pd.DataFrame:
    """The rows as a frame with the dtypes DuckDB's .df() gives: float64, str, bool,
    datetime64[us] (naive UTC), nullable integers."""
    frame = pd.DataFrame.from_records(rows, columns=[c[0] for c in columns])
    for name, type_name, _ in columns:
        s = frame[name]
        if type_name in ("DOUBLE", "FLOAT") or type_name.startswith("DECIMAL"):
            frame[name] = pd.to_numeric(s, errors="raise").astype("float64")
        elif type_name in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT"):
            frame[name] = pd.to_numeric(s, errors="raise").astype("Int64")
        elif type_name == "BOOLEAN":
            frame[name] = s.astype(bool) if s.notna().all() else s.astype("boolean")
        elif type_name == "TIMESTAMP":
            frame[name] = pd.to_datetime(s).astype("datetime64[us]")
        elif type_name == "VARCHAR":
            frame[name] = s.astype("str") if s.notna().all() else s
    return frame


def _events(stdout: str):
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def _show_rows(stdout: str) -> list:
    for event in _events(stdout):
        if event.get("info", {}).get("name") == "ShowNode":
            return json.loads(event["data"]["preview"])
    raise UserError("dbt show printed no result (ShowNode event missing)")


def _dbt_errors(stdout: str) -> str:
    return "\n".join(
        e["info"].get("msg", "")
        for e in _events(stdout)
        if e.get("info", {}).get("level") == "error"
    )
