# Two entry points: `make build` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test venv clean

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

# dbt build on the bundled sample, then publish the BI-facing tables.
build: $(STAMP)
	$(BIN)/leadscore build

# tests/test_spark.py builds everything on local Spark too; without Java it is skipped and
# pytest's summary says why (LEADSCORE_REQUIRE_SPARK=1, set by .ci/run, makes that a failure).
test: $(STAMP) $(SPARK_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf build published target logs dbt_packages

# Bring your own data: the whole pipeline on the public X Education lead file (not in
# this repository), in its own warehouse and artifact folder under examples/x_education/.
XED_DATA ?= ../shared/data/x_education_leads.csv

.PHONY: x-education
x-education: $(STAMP)
	$(BIN)/python examples/x_education/run.py --data $(XED_DATA)
