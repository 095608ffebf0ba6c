"""`leadscore` command line: one sub-command per module, imported only when used."""

import argparse
import gc
import importlib
import sys

from leadscore.errors import UserError

# sub-command -> module (under leadscore) exposing `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = {
    "generate": (
        "synthetic.generate",
        "Write a synthetic LinkedIn lead sample (leads, activities, outreach).",
    ),
    "train": ("train", "Cross-validate and train the XGBoost scorer from lead_training_set."),
    "build": ("build", "Run dbt build on the private build database, then publish for BI tools."),
    "publish": ("publish", "Publish the BI-facing tables of a successful build atomically."),
    "simulate-campaign": (
        "synthetic.simulate",
        "Draw responses for a chosen list and append them as a campaign.",
    ),
    "report": ("report", "Write the HTML report (charts) from the published DuckDB file."),
    "card": ("show_card", "Print a trained model's cross-validated precision@K from its card."),
}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="leadscore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module_name)
        # Arguments are declared by the module; import lazily only when building this parser.
        if argv and argv[0] == name:
            importlib.import_module(f"leadscore.{module_name}").add_arguments(p)
    args = parser.parse_args(argv)
    module = importlib.import_module(f"leadscore.{args._module}")
    try:
        return int(module.run(args) or 0)
    except UserError as exc:
        print(f"leadscore {args.command}: error: {exc}", file=sys.stderr)
        return 2


def entry() -> None:
    """The `leadscore` command. Objects still alive are frozen first: the interpreter's exit
    would otherwise run garbage-collection passes over all that dbt leaves in memory
    (0.7 s after a sample build)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
