# Entry points: `make build` (the main job), `make test` (lint + the whole suite), `make test-fast` (no dbt), `make lint`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test test-fast test-duckdb lint venv clean

# The environment is (re)installed when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

venv: $(STAMP)

# The Spark extra (dbt-spark + pyspark, ~400 MB) only for the test suite: `make build` stays DuckDB-only.
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[spark]'
	touch $(SPARK_STAMP)

# The lint tools (ruff, sqlfluff + dbt templater): for `make lint` and tests/test_lint.py.
DEV_STAMP := $(VENV)/.installed-dev
$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

# dbt build on the bundled sample, then publish the BI-facing tables.
build: $(STAMP)
	$(BIN)/leadscore build

# Lint first (under a minute), then the suite. tests/test_spark.py builds everything on local
# Spark too; without Java it is skipped and pytest's summary says why (LEADSCORE_REQUIRE_SPARK=1,
# set by .ci/run, makes that a failure).
test: $(STAMP) $(SPARK_STAMP) $(DEV_STAMP) lint
	$(BIN)/python -m pytest

# The layers of the suite (docs/development.md): no dbt at all, then everything on DuckDB.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m fast

test-duckdb: $(STAMP) $(DEV_STAMP)
	$(BIN)/python -m pytest -m "not spark and not browser"

# Python (ruff: rules and format) and SQL (sqlfluff with the dbt templater, through the wrapper
# that also lints the engine package's files). docs/development.md says how to fix findings.
# Two processes for the big run: each loads the dbt manifest once (~5 s), then splits the files.
# The models only SQL scoring builds (on DuckDB, where XGBoost scores in Python by default),
# and those whose SQL it changes: linted as dbt parses them with scoring_engine = sql.
SQL_SCORING_MODELS := engine/models/model/model_tree_nodes.sql engine/models/model/model_tree_members.sql \
	engine/models/model/model_tree_paths.sql engine/models/scoring/lead_scores.sql \
	engine/models/selection/lead_reasons.sql
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/sqlfluff_dbt.py lint --processes 2 models engine data_tests
	$(BIN)/python scripts/sqlfluff_dbt.py lint --vars '{"scoring_engine": "sql"}' $(SQL_SCORING_MODELS)
	$(BIN)/python scripts/sqlfluff_dbt.py lint --project-dir examples/x_education examples/x_education

clean:
	rm -rf build published target logs dbt_packages
	cd examples/x_education && rm -rf build published target logs dbt_packages exports

# Bring your own data: the public X Education lead file (not in this repository) scored by the
# engine through its own input project, examples/x_education: build its inputs, train, build and
# publish, then show the leakage guard refusing a post-contact feature. Everything it writes
# stays in examples/x_education/ (build/ with the trained model, published/, exports/).
XED_DATA ?= ../shared/data/x_education_leads.csv
XED := --project-dir examples/x_education

.PHONY: x-education
x-education: $(STAMP)
	@if [ ! -f "$(XED_DATA)" ]; then \
	  echo "x-education: SKIPPED: data file not found: $(XED_DATA) (pass XED_DATA=/path/to/x_education_leads.csv; see ../shared/data/README.md)"; \
	  exit 0; fi; \
	set -ex; vars='{"raw_data_path": "$(abspath $(XED_DATA))"}'; \
	$(BIN)/leadscore build $(XED) --vars "$$vars" --select +lead_training_set --no-publish; \
	$(BIN)/leadscore train $(XED) --baseline; \
	$(BIN)/leadscore build $(XED) --vars "$$vars"; \
	$(BIN)/leadscore train $(XED) --table xed_training_set_leaky --out examples/x_education/build/leaky_model 2>&1 \
	  | grep "possible label leakage"
