"""`leadscore card`: what a trained model validated at, from its artifact's model card.

Prints the cross-validated precision@K table exactly as `leadscore train` printed it (the
README's reference table is this output for the shipped artifact; a test keeps them equal).
"""

import argparse
from pathlib import Path

from leadscore import project
from leadscore.artifact import load_artifact
from leadscore.train import format_k_table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    project.add_argument(parser)
    parser.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="artifact folder (default: the project's var model_dir)",
    )


def cv_table(model_dir) -> str:
    card = load_artifact(model_dir).card
    return format_k_table(card.validation.precision_at_k)


def run(args) -> int:
    print(cv_table(args.model_dir or project.model_dir(args.project_dir)))
    return 0
