"""Finish the CSV exports a Spark build wrote (engine macro spark__export_csv).

Spark writes a query to a folder of part files, never to a named file: the export hook writes
<export_dir>/<file>.parts/ holding one part file (COALESCE(1)) and Spark's _SUCCESS marker.
`leadscore build --target spark` then moves that part file to <export_dir>/<file> with one
atomic rename (a reader never sees half a list) and removes the folder.
"""

import os
import shutil
from pathlib import Path

from leadscore import project
from leadscore.errors import UserError
from leadscore.settings import PROJECT_ROOT

ENGINE_DIR = PROJECT_ROOT / "engine"  # the engine package's own var defaults

PARTS_SUFFIX = ".parts"


def finish_exports(export_dir) -> list[Path]:
    """Rename every <name>.parts/part-*.csv under export_dir to <name>; returns the files."""
    done = []
    for parts in sorted(Path(export_dir).glob("*" + PARTS_SUFFIX)):
        if not (parts / "_SUCCESS").is_file():
            raise UserError(
                f"{parts}: Spark did not finish writing this export (no _SUCCESS marker); "
                "the previous export file, if any, is left unchanged"
            )
        files = sorted(parts.glob("part-*.csv"))
        if len(files) != 1:
            raise UserError(
                f"{parts}: expected one part file, found {len(files)}; "
                "the previous export file, if any, is left unchanged"
            )
        dest = parts.with_name(parts.name[: -len(PARTS_SUFFIX)])
        if dest.is_dir():
            raise UserError(f"{dest} is a folder: the export {files[0]} was not moved there")
        os.replace(files[0], dest)
        shutil.rmtree(parts)
        done.append(dest)
    return done


def export_dir_of(vars_: dict | None, project_dir: Path = PROJECT_ROOT) -> Path:
    """The export_dir var of a build: --vars, else the input project's default, else the
    engine's. The folder the export writes to: trimmed and `~` expanded as the engine's macro
    export_dir and DuckDB read it; a relative path resolves against the project folder
    (dbt's working folder)."""
    value = (vars_ or {}).get("export_dir")
    if value in (None, ""):
        value = project.default_var(project_dir, "export_dir")
    if value is None:
        value = project.default_var(ENGINE_DIR, "export_dir")
    if value is None:
        raise UserError("var export_dir is not set (--vars or dbt_project.yml)")
    return Path(project_dir) / Path(str(value).strip().rstrip("/")).expanduser()
