"""The `leadscore` command in tests: in this process (the same `cli.main` the installed command
calls, without a second Python and dbt start-up), or as the installed command a user runs (the
session build in tests/conftest.py, X Education's training)."""

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from leadscore.cli import main
from leadscore.settings import PROJECT_ROOT

LEADSCORE = str(Path(sys.executable).with_name("leadscore"))


def leadscore_in_process(*argv):
    """`leadscore <argv>`; returns a CompletedProcess with what the command printed."""
    argv = [str(a) for a in argv]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return subprocess.CompletedProcess(
        ["leadscore", *argv], code, stdout.getvalue(), stderr.getvalue()
    )


def leadscore_as_a_process(*argv):
    """The installed `leadscore <argv>`, started in the repository; returns the CompletedProcess."""
    return subprocess.run(
        [LEADSCORE, *map(str, argv)], capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
