"""What may be at a path a command is told to read or write, checked before anything runs.

A command replaces its output file whole (an atomic rename), so a wrong path would destroy
whatever is there: a path is refused, naming its flag, unless it is free or holds what the
command itself writes (leadscore.publish and leadscore.report say what that is).
"""

from pathlib import Path

from leadscore.errors import UserError

# Every DuckDB database file carries these bytes at offset 8 (storage v1.0 to DuckDB 2.0).
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8


def check_file_path(path: Path, flag: str) -> None:
    """Refuse a path no file can be written to: a folder, a special file, a path under a file."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{flag} {path} is a folder: give the path of a file")
    if path.exists() and not path.is_file():
        raise UserError(f"{flag} {path} is not a regular file")
    _check_not_under_a_file(path, flag)


def check_folder_path(path: Path, flag: str) -> None:
    """Refuse a folder path that is a file or lies under one (dbt stops on such a target
    folder without a word, since its log goes there)."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UserError(f"{flag} {path} is a file, not a folder")
    _check_not_under_a_file(path, flag)


def _check_not_under_a_file(path: Path, flag: str) -> None:
    folder = next(p for p in path.parents if p.exists())
    if not folder.is_dir():
        raise UserError(f"{flag} {path}: {folder} is a file, not a folder")


def starts_with(path: Path, flag: str, length: int) -> bytes:
    """The first `length` bytes of an existing file (fewer when it is shorter)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(length)
    except OSError as exc:
        raise UserError(f"{flag} {path} cannot be read: {exc}") from None


def is_duckdb_file(path: Path, flag: str) -> bool:
    head = starts_with(path, flag, DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
    return head[DUCKDB_MAGIC_OFFSET:] == DUCKDB_MAGIC


def check_database_path(path: Path, flag: str) -> None:
    """A database path: free (a new database goes there) or a DuckDB database file."""
    check_file_path(path, flag)
    if Path(path).exists() and not is_duckdb_file(path, flag):
        raise UserError(f"{flag} {path} is not a DuckDB database file: refusing to use it")
