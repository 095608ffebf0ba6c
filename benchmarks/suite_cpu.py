"""Where the test suite spends its CPU: per test file, the dearest tests, and the dbt commands run
inside the test process. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/suite_cpu.py -m "not spark and not browser"   # the DuckDB layer
    .venv/bin/python benchmarks/suite_cpu.py tests/test_bad_input.py          # any pytest args

CPU is user + system time of the test process and of the processes it waited for (the
installed `leadscore`, sqlfluff, ...); a fixture's cost lands on the first test that uses it.
On a shared machine CPU time moves by a fifth or more from run to run: compare two commits
only in runs started side by side (the other one from a `git worktree` of it: run this file
there, with `PYTHONPATH=ml`, so that checkout's tests and package are the ones measured).
"""

import collections
import resource
import sys

import pytest


def cpu_seconds() -> tuple[float, float]:
    """(this process, its waited-for children): user + system CPU seconds so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class SuiteCpu:
    """A pytest plugin: CPU per test, and every in-process dbt command with its CPU."""

    def __init__(self):
        self.per_test: dict[str, float] = {}
        self.dbt_commands: list[tuple[str, float]] = []  # (command, CPU seconds)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        before = sum(cpu_seconds())
        yield
        self.per_test[item.nodeid] = sum(cpu_seconds()) - before

    def pytest_configure(self, config):
        from dbt.cli.main import dbtRunner

        self.original_invoke = invoke = dbtRunner.invoke
        commands = self.dbt_commands

        def counted(runner, args, **kwargs):
            before = cpu_seconds()[0]
            try:
                return invoke(runner, args, **kwargs)
            finally:
                commands.append((args[0], cpu_seconds()[0] - before))

        dbtRunner.invoke = counted

    def pytest_unconfigure(self, config):
        from dbt.cli.main import dbtRunner

        dbtRunner.invoke = self.original_invoke

    def report(self, top: int = 15) -> str:
        by_file = collections.Counter()
        for nodeid, cpu in self.per_test.items():
            by_file[nodeid.split("::")[0]] += cpu
        lines = [f"{sum(self.per_test.values()):.0f} CPU-s in {len(self.per_test)} tests"]
        lines += [f"{cpu:7.1f}  {name}" for name, cpu in by_file.most_common()]
        lines.append(f"the {top} dearest tests:")
        dearest = sorted(self.per_test.items(), key=lambda kv: -kv[1])[:top]
        lines += [f"{cpu:7.1f}  {nodeid}" for nodeid, cpu in dearest]
        runs, cpu = collections.Counter(), collections.Counter()
        for command, seconds in self.dbt_commands:
            runs[command] += 1
            cpu[command] += seconds
        lines.append(f"dbt in the test process: {len(self.dbt_commands)} commands")
        lines += [f"{cpu[c]:7.1f}  {runs[c]:4d} x dbt {c}" for c, _ in cpu.most_common()]
        return "\n".join(lines)


def main(argv: list[str]) -> int:
    plugin = SuiteCpu()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *argv], plugins=[plugin])
    print(plugin.report())
    own, children = cpu_seconds()
    print(
        f"whole run: {own + children:.0f} CPU-s ({own:.0f} this process, {children:.0f} children)"
    )
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
