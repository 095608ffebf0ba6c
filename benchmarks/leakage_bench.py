"""Leakage guard benchmark (not a test): detection of planted leaks and false alarms.

  PYTHONPATH=ml .venv/bin/python benchmarks/leakage_bench.py [--samples 40] [--workers 2]
        [--workdir /tmp/truth_harness] [--max-lift 0.06]

On 303-contact samples of the truth harness's data set (benchmarks/truth_harness.py; built
once and cached in --workdir), runs the product's single-feature AUC guard (train.
single_feature_auc > 0.9) and the drop-column guard (leadscore.leakage.leakage_report) on:
  clean     the sample as built by dbt (false alarms: nothing should be refused)
  obvious   + reply_count_after = responded + N(0, 0.3)           (single-feature AUC ~0.99)
  moderate  + post_contact_engagement = N(0, 1) + 1.19 * responded (single-feature AUC ~0.80)
  spread    + one-hot of a post-contact status (status_meeting, status_replied, status_opened,
              status_no_open, status_bounced; no column above AUC ~0.70 alone)
and prints, per case: how often each guard fires, the CV AUC with the planted column(s), the
largest drop-column lift (median / max), and the guard's cost in CPU seconds (XGBoost runs
single-threaded, so CPU seconds = wall seconds on an idle core).
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

from leadscore import ensemble, leakage, settings
from leadscore.train import single_feature_auc

STATUS_RESPONDED = {"meeting": 0.35, "replied": 0.35, "opened": 0.30}
STATUS_SILENT = {"opened": 0.40, "no_open": 0.35, "bounced": 0.25}


def plant(X: pd.DataFrame, y: np.ndarray, case: str, rng) -> pd.DataFrame:
    """A copy of X with the case's leaky column(s) appended."""
    X = X.copy()
    if case == "obvious":
        X["reply_count_after"] = y + rng.normal(0, 0.3, len(y))
    elif case == "moderate":
        X["post_contact_engagement"] = rng.normal(0, 1, len(y)) + 1.19 * y
    elif case == "spread":
        status = np.empty(len(y), dtype=object)
        for cls, dist in ((1, STATUS_RESPONDED), (0, STATUS_SILENT)):
            idx = np.flatnonzero(y == cls)
            status[idx] = rng.choice(list(dist), size=len(idx), p=list(dist.values()))
        for level in sorted(set(STATUS_RESPONDED) | set(STATUS_SILENT)):
            X[f"status_{level}"] = (status == level).astype(float)
    return X


_CTX: dict = {}


def one(i: int, case: str, rule: tuple) -> dict:
    data, samples = _CTX["data"], _CTX["samples"]
    s = data.contacted.iloc[samples[i]].sort_values("contact_id").reset_index(drop=True)
    y = s["responded"].to_numpy()
    groups = s["lead_id"].astype(str).to_numpy()
    X = plant(s[data.features].astype(float), y, case, np.random.default_rng([i, 17]))
    seed = settings.SEED
    t0 = time.process_time()
    cf = ensemble.cross_fit(X, y, ensemble.repeated_folds(y, settings.CV_FOLDS, seed, groups), seed)
    t_cv = time.process_time() - t0
    t0 = time.process_time()
    single = single_feature_auc(X, y, cf.folds[0], seed)
    t_single = time.process_time() - t0
    t0 = time.process_time()
    rep = leakage.leakage_report(
        X,
        y,
        cf.folds[0],
        seed,
        cf.all_boosters,
        cf.oof_margin,
        max_lift=rule[0],
        min_lift=rule[1],
        alone_auc=rule[2],
    )
    t_drop = time.process_time() - t0
    best = max(
        rep["lifts"].items(),
        key=lambda kv: kv[1]["lift"],
        default=(None, {"lift": 0.0, "auc_alone": 0.5}),
    )
    alone = max((v["auc_alone"] for v in rep["lifts"].values() if v["lift"] > rule[1]), default=0.5)
    top = next(iter(rep["gain_share"].items()))
    return {
        "case": case,
        "sample": i,
        "cv_auc": rep["auc"],
        "single_guard": max(single.values()) > 0.9,
        "max_single_auc": max(single.values()),
        "drop_guard": bool(rep["refused"]),
        "refused": ",".join(rep["refused"]),
        "max_lift": best[1]["lift"],
        "max_lift_of": best[0],
        "max_lift_alone_auc": best[1]["auc_alone"],
        "max_alone_auc_over_min_lift": alone,
        "candidates": len(rep["candidates"]),
        "top_gain": f"{top[0]} {top[1]:.2f}",
        "seconds_cv": t_cv,
        "seconds_single": t_single,
        "seconds_drop": t_drop,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=60, help="clean samples (false alarms)")
    ap.add_argument("--leak-samples", type=int, default=20, help="samples per planted leak")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=th.WORKDIR)
    ap.add_argument("--max-lift", type=float, default=leakage.MAX_LIFT)
    ap.add_argument("--min-lift", type=float, default=leakage.MIN_LIFT)
    ap.add_argument("--alone-auc", type=float, default=leakage.ALONE_AUC)
    ap.add_argument("--cases", default="clean,obvious,moderate,spread")
    ap.add_argument("--csv", type=Path, default=None, help="write the per-sample rows here")
    ap.add_argument(
        "--from-csv",
        type=Path,
        default=None,
        help="re-print the tables from a --csv of an earlier run (no computing)",
    )
    args = ap.parse_args(argv)
    if args.from_csv:
        df = pd.read_csv(args.from_csv)
    else:
        data = th.prepare_data(
            args.workdir, th.FULL_SAMPLES, log=lambda m: print(m, file=sys.stderr)
        )
        samples, _ = th.draw_samples(len(data.contacted), th.FULL_SAMPLES)
        # the last samples of the harness's draw first
        _CTX.update(data=data, samples=samples[::-1])
        jobs = [
            (i, c)
            for c in args.cases.split(",")
            for i in range(args.samples if c == "clean" else args.leak_samples)
        ]
        import multiprocessing as mp

        with ProcessPoolExecutor(args.workers, mp_context=mp.get_context("fork")) as ex:
            rows = list(
                ex.map(
                    one,
                    [j[0] for j in jobs],
                    [j[1] for j in jobs],
                    [(args.max_lift, args.min_lift, args.alone_auc)] * len(jobs),
                    chunksize=2,
                )
            )
        df = pd.DataFrame(rows)
        if args.csv:
            df.to_csv(args.csv, index=False)

    print(
        f"Leakage guard benchmark: samples of {th.SAMPLE_SIZE} contacts (n per case below); "
        f"drop-column rule: refuse a candidate whose removal lowers CV AUC by > {args.max_lift}, "
        f"or by > {args.min_lift} while it reaches CV AUC > {args.alone_auc} alone"
    )
    print(
        f"{'case':>9} | {'n':>3} | {'CV AUC':>6} | {'max 1-feat AUC':>14} | {'old guard fires':>15} | "
        f"{'new guard fires':>15} | {'max lift p50/max':>16} | {'largest lift is (mode)':>28} | "
        f"{'guard s':>7}"
    )
    # the rule re-applied to the recorded lifts (identical to drop_guard in a live run)
    df["drop_guard"] = (df["max_lift"] > args.max_lift) | (
        df["max_alone_auc_over_min_lift"] > args.alone_auc
    )
    for case, g in df.groupby("case", sort=False):
        mode = g["max_lift_of"].mode()
        print(
            f"{case:>9} | {len(g):>3} | {g['cv_auc'].mean():6.3f} | {g['max_single_auc'].median():14.3f} | "
            f"{g['single_guard'].mean():15.1%} | {g['drop_guard'].mean():15.1%} | "
            f"{g['max_lift'].median():7.3f}/{g['max_lift'].max():.3f} | "
            f"{(mode.iloc[0] if len(mode) else '-'):>28} | {g['seconds_drop'].mean():7.2f}"
        )
    print(
        f"cost per training (mean CPU s): CV 5 folds {df['seconds_cv'].mean():.2f}, single-feature "
        f"guard {df['seconds_single'].mean():.2f}, drop-column guard {df['seconds_drop'].mean():.2f} "
        f"({df['candidates'].mean():.1f} candidates on average)"
    )
    print(trade_off(df, args.min_lift))
    return 0


def trade_off(df: pd.DataFrame, min_lift: float) -> str:
    """How often other margins would fire, per case (from the same per-sample records)."""
    cases = list(dict.fromkeys(df["case"]))
    lines = [
        f"trade-off (share of samples refused; alone-AUC branch needs lift > {min_lift}):",
        f"{'max lift':>8} | {'alone AUC':>9} | " + " | ".join(f"{c:>8}" for c in cases),
    ]
    for ml in (0.08, 0.10, 0.12, 0.15, None):
        for al in (0.70, 0.72, 0.75, None):
            fire = ((df["max_lift"] > ml) if ml is not None else False) | (
                (df["max_alone_auc_over_min_lift"] > al) if al is not None else False
            )
            if ml is None and al is None:
                continue
            rates = pd.Series(fire, index=df.index).groupby(df["case"]).mean()
            lines.append(
                f"{'-' if ml is None else ml:>8} | {'-' if al is None else al:>9} | "
                + " | ".join(f"{rates[c]:8.0%}" for c in cases)
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
