"""Exclusive locks between leadscore processes: a real OS lock (flock) on a lock file.

`leadscore build` holds the lock of its build database for the whole build, publish and
commit; `leadscore publish` takes the same lock, and the lock of the published file while it
replaces it. A second process asking for a held lock gets a UserError at once (no race
between "is it free?" and "take it": flock does both in one step). The OS releases the lock
when the holder exits, however it exits, so a killed build never leaves a stale lock. Lock
files are never deleted (deleting one while another process waits on it would break the lock).
"""

import datetime as dt
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from leadscore.errors import UserError


def lock_path(path: Path) -> Path:
    """The lock file guarding `path` (a database file): `<path>.lock` beside it."""
    path = Path(path)
    return path.with_name(path.name + ".lock")


@contextmanager
def exclusive(path: Path, what: str):
    """Hold the lock guarding `path` for the `with` block; UserError naming the holder if taken."""
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise UserError(
                f"{what} is in use by another leadscore process ({holder}, lock {lock}): "
                "wait for it to finish and run again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            f"pid {os.getpid()}, since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC".encode(),
            0,
        )
        yield lock
    finally:
        os.close(fd)  # closing the descriptor releases the lock
