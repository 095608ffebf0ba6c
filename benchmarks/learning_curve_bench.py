"""Learning-curve benchmark (not a test): is the "more labels?" reading sensible?

  PYTHONPATH=ml .venv/bin/python benchmarks/learning_curve_bench.py [--samples 40]
        [--sizes 303,1212,4848] [--workers 2] [--workdir /tmp/truth_harness]

On training sets of each size drawn (disjointly) from the truth harness's data set
(benchmarks/truth_harness.py, built once and cached in --workdir), runs
leadscore.learning_curve.learning_curve (k = 50, 3 sub-sample repeats) and prints, per size:
the mean CV AUC / P@50 at 25/50/75/100% of the rows, the mean AUC gain from 50% to 100% and
how often each reading comes out, next to the truth: "true gain" = fresh-pool AUC (against the
true probabilities, on the harness's held-out contacted leads) of the product's model trained
on all the rows minus trained on half of them. Sizes are multiples of the harness samples
(303 rows = one sample; 1212 = four consecutive ones, ...).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import truth_harness as th

from leadscore import learning_curve as lc
from leadscore import settings
from leadscore.ensemble import booster_margin
from leadscore.modelling import fit_booster

_CTX: dict = {}


def expected_auc(score, p_true) -> float:
    """AUC against the true probabilities: P(score of a responder > score of a non-responder)
    with each lead a responder with weight p and a non-responder with weight 1 - p."""
    order = np.argsort(score, kind="mergesort")
    p = np.asarray(p_true, dtype=float)[order]
    neg_below = np.cumsum(1 - p) - (1 - p)
    return float(np.sum(p * neg_below) / (p.sum() * (1 - p).sum() - np.sum(p * (1 - p))))


def true_gain(X, y, groups, seed) -> float:
    """Fresh-pool AUC (against the truth) of the product's model trained on all the rows minus
    trained on half of them: what doubling the labels actually buys at this size."""
    half = lc.subsample_rows(y, groups, 0.5, np.random.default_rng([seed, 5]))
    hx, hp = _CTX["hold_X"], _CTX["hold_p"]
    full_b, half_b = fit_booster(X, y, seed), fit_booster(X[half], y[half], seed)
    return expected_auc(booster_margin(full_b, hx), hp) - expected_auc(
        booster_margin(half_b, hx), hp
    )


def one(rows_idx) -> dict:
    data = _CTX["data"]
    s = data.contacted.iloc[rows_idx].sort_values("contact_id").reset_index(drop=True)
    y = s["responded"].to_numpy()
    ids = s["lead_id"].astype(str).to_numpy()
    truth = true_gain(s[data.features].astype(float), y, ids, settings.SEED)
    t0 = time.process_time()
    res = lc.learning_curve(
        s[data.features].astype(float), y, ids, ids, s["contact_id"].to_numpy(), settings.SEED, k=50
    )
    out = {
        "rows": len(y),
        "reading": res["reading"].split(":")[0].split(" are")[0],
        "gain": res["gain"]["gain"],
        "gain_low": res["gain"]["low"],
        "gain_high": res["gain"]["high"],
        "seconds": time.process_time() - t0,
        "true_gain": truth,
    }
    for r in res["table"]:
        out[f"auc{r['fraction']:g}"] = r["roc_auc"]
        out[f"p50_{r['fraction']:g}"] = r["precision"]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=40, help="training sets per size (at most)")
    ap.add_argument("--sizes", default="303,1212,4848")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=th.WORKDIR)
    args = ap.parse_args(argv)
    data = th.prepare_data(args.workdir, th.FULL_SAMPLES, log=lambda m: print(m, file=sys.stderr))
    samples, hold = th.draw_samples(len(data.contacted), th.FULL_SAMPLES)
    h = data.contacted.iloc[hold[: th.HOLDOUT_SIZE]]
    _CTX.update(data=data, hold_X=h[data.features].astype(float), hold_p=h["p_true"].to_numpy())
    jobs = []
    for size in (int(x) for x in args.sizes.split(",")):
        per = max(1, size // th.SAMPLE_SIZE)  # a training set = `per` consecutive harness samples
        n = min(args.samples, len(samples) // per)
        jobs += [np.concatenate(samples[i * per : (i + 1) * per]) for i in range(n)]
    import multiprocessing as mp

    with ProcessPoolExecutor(args.workers, mp_context=mp.get_context("fork")) as ex:
        df = pd.DataFrame(list(ex.map(one, jobs)))
    print(
        f"Learning curve benchmark (k = 50; rule: {lc.MIN_USEFUL_GAIN} AUC = smallest useful gain "
        f"from doubling the labels; 90% paired bootstrap)"
    )
    print(
        f"{'rows':>6} | {'sets':>4} | {'CV AUC at 25/50/75/100%':>27} | {'P@50 at 25/50/75/100%':>27} | "
        f"{'gain 50->100%':>13} | {'true gain':>9} | {'improving':>9} | {'unclear':>7} | {'flat':>5} | {'s':>5}"
    )
    for rows, g in df.groupby("rows"):
        aucs = "/".join(f"{g[f'auc{f:g}'].mean():.3f}" for f in lc.FRACTIONS)
        p50 = "/".join(f"{g[f'p50_{f:g}'].mean():.3f}" for f in lc.FRACTIONS)
        share = g["reading"].value_counts(normalize=True)
        print(
            f"{rows:>6} | {len(g):>4} | {aucs:>27} | {p50:>27} | {g['gain'].mean():13.3f} | "
            f"{g['true_gain'].mean():9.3f} | "
            f"{share.get('more labels', 0):9.0%} | {share.get('unclear', 0):7.0%} | "
            f"{share.get('flat', 0):5.0%} | {g['seconds'].mean():5.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
