"""The `leadscore` command run in the test process: the same `cli.main` the installed command
calls, without a second Python and dbt start-up (the session build, tests/conftest.py, runs
the installed command as a user does)."""

import contextlib
import io
import subprocess

from leadscore.cli import main


def leadscore_in_process(*argv):
    """`leadscore <argv>`; returns a CompletedProcess with what the command printed."""
    argv = [str(a) for a in argv]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    return subprocess.CompletedProcess(
        ["leadscore", *argv], code, stdout.getvalue(), stderr.getvalue()
    )
