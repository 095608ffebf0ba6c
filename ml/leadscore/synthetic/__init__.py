"""Synthetic data for demos, tests and benchmarks - not product code.

The product (dbt build, training, scoring, publishing) never imports this package. It makes
the bundled sample and the benchmark sets, and closes the loop of the walkthrough:

- `generate`: `leadscore generate`, a synthetic LinkedIn lead sample in the raw-data contract;
- `hidden_model`: the ground-truth reply model behind that data (never trained on);
- `simulate`: `leadscore simulate-campaign`, contact a list and append the drawn outcomes.
"""
