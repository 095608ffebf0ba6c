"""Product constants: the one place for each of these facts.

Training copies them into the model card; dbt models read them from the card's typed tables
(engine/models/model/: model_card, model_k_values, model_tiers, model_gates, ...), so a
deployed model always carries its own rules.
"""

from pathlib import Path

# Precision@K is reported at these K (the guide's table: top 5/10/20/50/100).
K_VALUES = (5, 10, 20, 50, 100)

# Priority tiers on the calibrated engagement score, lowest first.
TIER_LABELS = ("Low", "Medium", "High", "Critical")

# The LinkedIn playbook's rules on scores and observed precision, stated at its base rate:
# tiers (lower bounds of Medium / High / Critical), the rollout / campaign gates (observed
# precision >= proceed: continue, >= recalibrate: recalibrate, below: stop) and the precision
# the card's thresholds aim at. Training sets each from its flag, else the project's var, else
# carries the playbook's to the project's base rate (train.at_base_rate); the card stores them.
PLAYBOOK_BASE_RATE = 0.40
PLAYBOOK_TIERS = (0.60, 0.75, 0.85)
PLAYBOOK_GATES = (0.60, 0.50)  # proceed, recalibrate
PLAYBOOK_TARGET_PRECISION = 0.65

CV_FOLDS = 5
SEED = 42

# Columns of lead_training_set that are not model features.
TRAINING_KEY_COLUMNS = ("contact_id", "lead_id", "feature_as_of")
LABEL_COLUMN = "responded"
# Columns of lead_features that are not model features.
SCORING_KEY_COLUMNS = ("lead_id", "feature_as_of")

# Project root = the folder holding dbt_project.yml (the package lives in ml/leadscore).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARTIFACT_DIR = PROJECT_ROOT / "ml" / "artifacts" / "linkedin_sample"
DEFAULT_SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


def warehouse_path(project_dir: Path = PROJECT_ROOT) -> Path:
    """The build database the dbt profile points at (LEADSCORE_DB, else the default inside the
    project folder dbt runs in)."""
    import os

    return Path(
        os.environ.get("LEADSCORE_DB", Path(project_dir) / "build" / "lead_scoring_build.duckdb")
    )
