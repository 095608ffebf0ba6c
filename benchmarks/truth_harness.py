"""Truth harness (a benchmark, not a timed test): are `leadscore train`'s numbers honest?

  PYTHONPATH=ml .venv/bin/python benchmarks/truth_harness.py            # 400 samples
  PYTHONPATH=ml .venv/bin/python benchmarks/truth_harness.py --quick    # 40 samples
        [--samples N] [--workers 2] [--workdir /tmp/truth_harness] [--schemes today,ens5,ens5x5]
        [--csv per_sample.csv]

The synthetic generator draws each contacted lead's reply from a hidden response model
(leadscore.synthetic.hidden_model), so every lead's TRUE response probability is known. The harness:
 1. generates ONE large data set in process with leadscore.synthetic.generate.generate (what
    `leadscore generate` runs): 400 x 303 contacted leads for training samples + 20,000 more
    contacted leads (the fresh population) + 20,000 uncontacted leads, recording the hidden
    model's reply probability of every contacted lead at its contact time (the probability its
    label was drawn from);
 2. builds the features once through the product's dbt project (+lead_training_set,
    +lead_features); the uncontacted leads' true probability is the hidden model at the scoring
    as_of (feature_as_of of lead_features), as simulate-campaign draws replies;
 3. draws disjoint 303-contact training samples from the contacted rows (i.i.d. like separate
    generations: --check-iid N compares base rate and CV AUC with N separate 303-lead
    generations) and, per sample and scheme, trains (product = exactly `leadscore train`'s
    train.fit_model with its defaults; the others are research variants) and measures against
    the truth.
Everything is cached in --workdir (delete it to regenerate). Schemes: product = what
`leadscore train` deploys (5 x 5 cross-fit, the first repetition's 5 fold boosters averaged,
Platt on the OOF margins); today = the previous scheme, final booster on
all rows + Platt on the out-of-fold scores (kept only if it lowers the OOF Brier);
ens5 = the 5 fold boosters deployed as a mean-margin ensemble, Platt on the OOF margins;
ens<R>x5 = R repeated 5-fold CVs (seeds 42, 43, ...): each row's OOF margin = mean over the R
boosters that never saw it, deployed = mean margin of all 5R boosters, Platt on the OOF margins.

Definitions (printed in the header too):
 * Fresh leads = the 20,000 contacted leads of the same generation never drawn into a sample,
   at their contact time (the population the training rows come from: like with like). The
   "as_of:" rows repeat some measures on 10,000 uncontacted leads at the scoring as_of (a
   different population: there CV is not expected to be exact).
 * P@K delivered: the expected precision of the top K when the DEPLOYED model ranks a fresh
   pool of the same size as the evaluated set: the mean, over pools of 303 leads drawn at random
   from the fresh leads, of the average true probability of the pool's top K (computed exactly
   with binomial rank weights, no simulation). Coverage: share of samples whose 95% interval on
   the cross-validated P@K contains it -- Wilson (today), percentile bootstrap of the OOF rows,
   and their union Wilson+bootstrap (leadscore.intervals); bias: mean(CV P@K - delivered).
 * Threshold delivered: the mean true probability of the fresh leads whose deployed score is
   >= t. "reached": the rule found a cut-off among >= 10 OOF rows. "delivers | reached": share
   of the samples with a threshold whose threshold delivers >= target.
 * Calibration on the fresh leads against the true probabilities: slope and intercept of the
   logistic regression of the true probability on logit(deployed score) (1 / 0 is perfect);
   ECE = sum over 10 equal-count score bins of share x |mean score - mean true probability|.
   Floors: |sample base rate - true base rate| (ECE >= |mean score - mean truth|, and Platt
   matches the sample's base rate) and the ECE of the best 2-parameter map fitted on the truth.
 * Lists: per sample, 20 campaigns, each a random pool of 1000 fresh leads: the top-100 list and
   the threshold list (score >= the recommended threshold, when reached); replies drawn as
   Bernoulli(true probability). Coverage: the share of campaigns whose realised responses fall
   inside the list's expected-responses interval (naive = today's marts, delta = + Platt
   covariance, delta x2 = + twice it).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import bdtr
from sklearn.isotonic import IsotonicRegression

from leadscore import calibration as cal
from leadscore import ensemble, intervals, metrics, settings, thresholds
from leadscore.modelling import fit_booster

SAMPLE_SIZE = 303
K_VALUES = (10, 20, 50, 100)
TARGET = settings.PLAYBOOK_TARGET_PRECISION  # the harness samples a LinkedIn-like ~40% base rate
HOLDOUT_SIZE = 20_000  # fresh population: contacted rows never drawn into a sample
POOL_SIZE = 20_000  # uncontacted leads generated (scoring population at as_of)
ASOF_SIZE = 10_000  # of which scored per sample (secondary measures)
CAMPAIGNS = 20
CAMPAIGN_POOL = 1000
LIST_K = 100
DATA_SEED = 1001
FULL_SAMPLES, QUICK_SAMPLES = 400, 40
WORKDIR = Path("/tmp/truth_harness")


# ---------------------------------------------------------------------------------------------
# Data: one generation, one dbt build, true probabilities
# ---------------------------------------------------------------------------------------------


@dataclass
class TruthData:
    features: list
    contacted: pd.DataFrame  # contact_id, lead_id, features, responded, p_true (at contact)
    pool: pd.DataFrame  # uncontacted leads: lead_id, features, p_true (at as_of)
    info: dict


def _generate_with_truth(raw_dir: Path, n_leads: int, n_contacted: int, seed: int) -> pd.DataFrame:
    """`leadscore generate` (in process) while recording the hidden model's reply probability
    of every contacted lead (the probability its label was actually drawn from)."""
    from leadscore.synthetic import generate, hidden_model

    captured, original = [], hidden_model.response_probability

    def recording(leads, activities, as_of, seed_):
        p = original(leads, activities, as_of, seed_)
        captured.append(
            pd.DataFrame({"lead_id": leads["lead_id"].astype(str).to_numpy(), "p_true": p})
        )
        return p

    hidden_model.response_probability = recording
    try:
        generate.generate(raw_dir, n_leads, n_contacted, seed=seed, fmt="parquet")
    finally:
        hidden_model.response_probability = original
    return pd.concat(captured, ignore_index=True)


def _pool_truth(raw_dir: Path, pool: pd.DataFrame, seed: int) -> np.ndarray:
    from leadscore.synthetic import hidden_model

    leads = pd.read_parquet(raw_dir / "leads.parquet")
    leads = leads.set_index("lead_id").loc[pool["lead_id"]].reset_index()
    acts = pd.read_parquet(raw_dir / "activities.parquet")
    acts = acts[acts["lead_id"].isin(set(pool["lead_id"]))]
    return hidden_model.response_probability(leads, acts, pool["feature_as_of"].iloc[0], seed)


def prepare_data(
    workdir: Path,
    n_samples: int,
    seed: int = DATA_SEED,
    pool_size: int = POOL_SIZE,
    holdout: int = HOLDOUT_SIZE,
    log=print,
) -> TruthData:
    """Generate + build once (cached in workdir), return the rows with their true probability."""
    import duckdb

    from leadscore.dbt_runner import dbt_command

    workdir = Path(workdir)
    key = {"n_contacted": n_samples * SAMPLE_SIZE + holdout, "pool": pool_size, "seed": seed}
    meta_p = workdir / "meta.json"
    if meta_p.exists() and json.loads(meta_p.read_text()).get("key") == key:
        meta = json.loads(meta_p.read_text())
        return TruthData(
            meta["features"],
            pd.read_parquet(workdir / "contacted.parquet"),
            pd.read_parquet(workdir / "pool.parquet"),
            meta["info"],
        )
    t0 = time.monotonic()
    raw = workdir / "raw"
    if workdir.exists():
        import shutil

        if any(workdir.iterdir()) and not meta_p.exists():
            raise SystemExit(
                f"{workdir} is not empty and holds no harness cache: choose another --workdir"
            )
        shutil.rmtree(workdir)
    raw.mkdir(parents=True)
    n_leads = key["n_contacted"] + pool_size
    log(f"generating {n_leads:,} leads ({key['n_contacted']:,} contacted), seed {seed} ...")
    truth = _generate_with_truth(raw, n_leads, key["n_contacted"], seed)
    log("dbt build --select +lead_training_set +lead_features ...")
    db = workdir / "warehouse.duckdb"
    dbt_command(
        ["build", "--select", "+lead_training_set", "+lead_features"],
        db_path=db,
        target_path=workdir / "target",
        vars={"raw_data_path": str(raw)},
    )
    with duckdb.connect(str(db), read_only=True) as con:
        ts = con.execute("select * from lead_training_set order by contact_id").df()
        lf = con.execute(
            "select f.* from lead_features f anti join lead_training_set t "
            "using (lead_id) order by lead_id"
        ).df()
    features = [
        c for c in ts.columns if c not in (*settings.TRAINING_KEY_COLUMNS, settings.LABEL_COLUMN)
    ]
    contacted = ts.merge(truth, on="lead_id", how="inner", validate="one_to_one")
    contacted["responded"] = contacted["responded"].astype(bool).astype(int)
    lf["p_true"] = _pool_truth(raw, lf, seed)
    info = {
        "leads": n_leads,
        "contacted_rows": len(contacted),
        "pool_rows": len(lf),
        "base_rate": float(contacted["responded"].mean()),
        "mean_p_true_contacted": float(contacted["p_true"].mean()),
        "mean_p_true_pool": float(lf["p_true"].mean()),
        "as_of": str(lf["feature_as_of"].iloc[0]),
        "prepare_seconds": time.monotonic() - t0,
    }
    contacted.to_parquet(workdir / "contacted.parquet")
    lf.to_parquet(workdir / "pool.parquet")
    meta_p.write_text(json.dumps({"key": key, "features": features, "info": info}))
    return TruthData(features, contacted, lf, info)


def separate_generations(workdir: Path, n: int, first_seed: int = 2000) -> pd.DataFrame:
    """i.i.d. check: n separate `leadscore generate --leads 1303 --contacted 303` data sets (seeds
    first_seed, ...), each built through dbt: base rate and 5-fold CV AUC of the product's
    booster, to compare with the samples drawn from the one big set."""
    import duckdb

    from leadscore.dbt_runner import dbt_command
    from leadscore.synthetic import generate

    rows = []
    for i in range(n):
        d = Path(workdir) / f"separate_{first_seed + i}"
        if not (d / "warehouse.duckdb").exists():
            generate.generate(d / "raw", 1303, 303, seed=first_seed + i, fmt="parquet")
            dbt_command(
                ["build", "--select", "+lead_training_set"],
                db_path=d / "warehouse.duckdb",
                target_path=d / "target",
                vars={"raw_data_path": str(d / "raw")},
            )
        with duckdb.connect(str(d / "warehouse.duckdb"), read_only=True) as con:
            ts = con.execute("select * from lead_training_set order by contact_id").df()
        feats = [
            c
            for c in ts.columns
            if c not in (*settings.TRAINING_KEY_COLUMNS, settings.LABEL_COLUMN)
        ]
        y = ts[settings.LABEL_COLUMN].astype(bool).astype(int).to_numpy()
        folds = ensemble.repeated_folds(
            y, settings.CV_FOLDS, settings.SEED, ts["lead_id"].astype(str)
        )
        cf = ensemble.cross_fit(ts[feats].astype(float), y, folds, settings.SEED)
        rows.append(
            {
                "seed": first_seed + i,
                "base_rate": float(y.mean()),
                "cv_auc": metrics.roc_auc(y, cf.oof_margin),
            }
        )
    return pd.DataFrame(rows)


def draw_samples(n_rows: int, n_samples: int, size: int | None = None, seed: int = DATA_SEED):
    """Disjoint random samples of `size` (SAMPLE_SIZE) row positions; the rest is held out."""
    size = size or SAMPLE_SIZE
    perm = np.random.default_rng([seed, 7]).permutation(n_rows)
    if n_samples * size > n_rows:
        raise ValueError("not enough contacted rows for that many samples")
    return [perm[i * size : (i + 1) * size] for i in range(n_samples)], perm[n_samples * size :]


# ---------------------------------------------------------------------------------------------
# Training schemes
# ---------------------------------------------------------------------------------------------


@dataclass
class Trained:
    name: str
    oof_margin: np.ndarray
    oof_score: np.ndarray  # calibrated out-of-fold score (what CV reports)
    a: float
    b: float
    cov: np.ndarray
    margin_fn: object  # X -> deployed margin
    fits: int
    seconds: float

    def score(self, X):
        return cal.apply_platt(self.margin_fn(X), self.a, self.b)


def _platt_as_product(oof_margin, y):
    """The product's rule: Platt on OOF scores, kept only when it lowers the OOF Brier."""
    a, b = cal.fit_platt_margin(oof_margin, y)
    raw = cal.sigmoid(oof_margin)
    if a > 0 and metrics.brier(y, cal.apply_platt(oof_margin, a, b)) < metrics.brier(y, raw):
        return a, b
    return 1.0, 0.0


def train_scheme(
    name: str,
    X: pd.DataFrame,
    y: np.ndarray,
    groups,
    seed: int = settings.SEED,
    cache: dict | None = None,
) -> Trained:
    """Schemes: today (final model on all rows + Platt on OOF), ens5 (fold-model ensemble,
    Platt on OOF margins), ens<R>x5 (R repeated 5-fold CVs, OOF = mean over repeats)."""
    t0 = time.process_time()  # CPU seconds: XGBoost is single-threaded, so = idle-core wall time
    if name == "product":
        return train_product(X, y, groups, seed)
    cache = {} if cache is None else cache
    reps = 1 if name in ("today", "ens5") else int(name[3:].split("x")[0])
    fitted_now = 0.0
    if cache.get("reps", 0) < reps:  # fits of smaller schemes are reused (same folds)
        folds = ensemble.repeated_folds(y, settings.CV_FOLDS, seed, groups, reps)
        cache.update(reps=reps, cf=ensemble.cross_fit(X, y, folds, seed))
        fitted_now = cache["cf_seconds"] = time.process_time() - t0
    cf = cache["cf"]
    # a scheme reusing cached fits is charged their share: each scheme's cost is standalone
    t0 += fitted_now - cache["cf_seconds"] * reps / cache["reps"]
    oof = cf.oof_margin_by_repeat[:reps].mean(axis=0)
    boosters = [b for rep in cf.boosters[:reps] for b in rep]
    fits = len(boosters)
    if name == "today":
        final = fit_booster(X, y, seed)
        fits += 1
        a, b = _platt_as_product(oof, y)
        margin_fn = lambda Z, f=final: ensemble.booster_margin(f, Z)  # noqa: E731
    else:
        a, b = cal.fit_platt_margin(oof, y)
        margin_fn = lambda Z, bs=boosters: ensemble.ensemble_margin(bs, Z)  # noqa: E731
    cov = cal.platt_covariance(oof, a, b)
    return Trained(
        name, oof, cal.apply_platt(oof, a, b), a, b, cov, margin_fn, fits, time.process_time() - t0
    )


def train_product(X: pd.DataFrame, y: np.ndarray, groups, seed: int) -> Trained:
    """Exactly what `leadscore train` fits and deploys, with its defaults (train.fit_model)."""
    from leadscore import train

    t0 = time.process_time()
    frame = pd.DataFrame(
        {
            "lead_id": np.asarray(groups).astype(str),
            "contact_id": [f"c{i:06d}" for i in range(len(y))],
        }
    )
    fitted = train.fit_model(
        train.TrainingData(frame, [], [], X, np.asarray(y), np.asarray(groups)),
        train.TrainOptions(seed=seed),
    )
    c = fitted.calibration
    oof = fitted.oof["margin"].to_numpy()
    cov = np.array([[c.var_a, c.cov_ab], [c.cov_ab, c.var_b]])
    return Trained(
        "product",
        oof,
        fitted.oof["score"].to_numpy(),
        c.a,
        c.b,
        cov,
        lambda Z, bs=fitted.deployed: ensemble.ensemble_margin(bs, Z),
        len(fitted.cross.all_boosters),
        time.process_time() - t0,
    )


# ---------------------------------------------------------------------------------------------
# Measuring against the truth
# ---------------------------------------------------------------------------------------------


def delivered_precision_at_k(score, p_true, k_values, n: int | None = None) -> dict:
    """Expected precision of the top K of n leads drawn at random from the fresh population
    (the pool), ranked by score. Exact, no simulation: the lead at rank position r of the pool
    (r leads score higher) is one of the n draws' top K when at most K - 1 of the other n - 1
    draws rank above it: P = bdtr(K - 1, n - 1, r / N); so E[top-K precision] =
    n / N * sum_r p_r * P_r / K."""
    n = n or SAMPLE_SIZE
    order = np.argsort(-np.asarray(score), kind="mergesort")
    p = np.asarray(p_true, dtype=float)[order]
    N = len(p)
    q = np.arange(N) / N  # share of the population ranked above
    out = {}
    for k in k_values:
        w = (n / N) * bdtr(k - 1, n - 1, q)
        out[k] = float(np.sum(w * p) / k)
    return out


RULES = ("plain", "conservative", "cal+0.08", "cal+0.10")
LIST_RULE = "cal+0.10"  # the recommended rule; its threshold list is simulated
LIST_INTERVALS = ("naive", "delta", "delta x2")


def _threshold_rules(tr: Trained, y: np.ndarray) -> dict:
    """plain / conservative: the product's rules (observed OOF precision, resp. its Wilson 95%
    lower bound, >= target); cal+m: mean calibrated OOF score of the selection >= target + m
    (cal+0.10 = thresholds.threshold_recommended)."""
    s, m = tr.oof_score, tr.oof_margin
    return {
        "plain": thresholds.threshold_observed(s, y, TARGET, 0.0),
        "conservative": thresholds.threshold_observed(s, y, TARGET, metrics.Z95),
        "cal+0.08": thresholds.threshold_recommended(m, tr.a, tr.b, TARGET, 0.08),
        "cal+0.10": thresholds.threshold_recommended(m, tr.a, tr.b, TARGET, 0.10),
    }


def _list_intervals(margin, tr: Trained) -> dict:
    """naive: today's marts (sum p +/- 1.96 sqrt(sum p(1-p))); delta: + the Platt covariance
    (delta method); delta x2: + twice it (calibration.CALIBRATION_VARIANCE_FACTOR)."""
    return {
        "naive": cal.expected_responses_interval(margin, tr.a, tr.b),
        "delta": cal.expected_responses_interval(margin, tr.a, tr.b, tr.cov),
        "delta x2": cal.expected_responses_interval(
            margin, tr.a, tr.b, tr.cov, variance_factor=cal.CALIBRATION_VARIANCE_FACTOR
        ),
    }


def _campaigns(rng, pool_margin, pool_p, tr: Trained, t_list) -> dict:
    """Coverage counts of the list intervals over CAMPAIGNS simulated campaigns, and the
    relative error of the expected responses (sum of scores) against the truth (sum of p)."""
    hits = {}
    N = len(pool_p)
    for _ in range(CAMPAIGNS):
        idx = rng.choice(N, min(CAMPAIGN_POOL, N), replace=False)
        m, p = pool_margin[idx], pool_p[idx]
        lists = {"top100": np.argsort(-m, kind="mergesort")[:LIST_K]}
        if t_list is not None:
            sel = np.flatnonzero(cal.apply_platt(m, tr.a, tr.b) >= t_list)
            if len(sel):
                lists["thr"] = sel
        for lname, rows in lists.items():
            realised = int((rng.random(len(rows)) < p[rows]).sum())
            for iname, iv in _list_intervals(m[rows], tr).items():
                key = f"{lname} {iname}"
                c, t = hits.get(key, (0, 0))
                hits[key] = (c + int(iv["low"] <= realised <= iv["high"]), t + 1)
            key = f"{lname} relerr"
            e, t = hits.get(key, (0.0, 0))
            exp_ = cal.apply_platt(m[rows], tr.a, tr.b).sum()
            hits[key] = (e + (exp_ - p[rows].sum()) / max(p[rows].sum(), 1e-9), t + 1)
    return hits


def evaluate(tr: Trained, sample: pd.DataFrame, fresh_X, fresh_p, asof_X, asof_p, rng) -> dict:
    """All measures of one trained scheme on one sample. fresh: held-out contacted leads at
    their contact time (same population as the training rows: the primary truth); asof: the
    uncontacted leads at the scoring as_of (secondary: population shift)."""
    y = sample["responded"].to_numpy()
    res = {"fits": tr.fits, "seconds": tr.seconds}
    oof = pd.DataFrame(
        {
            "lead_id": sample["lead_id"].to_numpy(),
            "contact_id": sample["contact_id"].to_numpy(),
            "score": tr.oof_score,
            "label": y,
            "p_true": sample["p_true"].to_numpy(),
        }
    )
    pak = intervals.precision_at_k_bootstrap(oof, K_VALUES, seed=int(rng.integers(2**31)))
    ranked = metrics.rank_by_tie_rule(oof)
    fresh_m, asof_m = tr.margin_fn(fresh_X), tr.margin_fn(asof_X)
    fresh_s = cal.apply_platt(fresh_m, tr.a, tr.b)
    dl = delivered_precision_at_k(fresh_m, fresh_p, K_VALUES)
    da = delivered_precision_at_k(asof_m, asof_p, K_VALUES)
    for r in pak:
        k = r["k"]
        res.update(
            {
                f"cv@{k}": r["precision"],
                f"lo@{k}": r["ci_low"],
                f"hi@{k}": r["ci_high"],
                f"blo@{k}": r["boot_low"],
                f"bhi@{k}": r["boot_high"],
                f"ulo@{k}": r["low"],
                f"uhi@{k}": r["high"],
                f"del@{k}": dl[k],
                f"dela@{k}": da[k],
                f"rows@{k}": float(ranked["p_true"].iloc[:k].mean()),
            }
        )
    res["cv_auc"] = metrics.roc_auc(y, tr.oof_margin)
    res["fresh_auc"] = metrics.roc_auc((rng.random(len(fresh_p)) < fresh_p).astype(int), fresh_m)
    t_list = None
    for rname, t in _threshold_rules(tr, y).items():
        sel = fresh_s >= t["score"] if t["score"] is not None else np.zeros(len(fresh_s), bool)
        res[f"thr_{rname}_reached"] = t["reached"]
        res[f"thr_{rname}_score"] = t["score"]
        res[f"thr_{rname}_share"] = float(sel.mean())
        res[f"thr_{rname}_delivered"] = float(fresh_p[sel].mean()) if sel.any() else float("nan")
        if rname == LIST_RULE and t["reached"]:
            t_list = t["score"]
    res["slope"], res["intercept"] = cal.calibration_slope(fresh_s, fresh_p)
    res["ece"] = cal.expected_calibration_error(fresh_s, fresh_p)
    # floors: the sample's base rate error, and the best 2-parameter recalibration (on the truth)
    res["base_rate_error"] = abs(float(y.mean()) - float(fresh_p.mean()))
    oa, ob = cal.calibration_slope(cal.sigmoid(fresh_m), fresh_p)
    res["ece_oracle_platt"] = cal.expected_calibration_error(
        cal.apply_platt(fresh_m, oa, ob), fresh_p
    )
    iso = IsotonicRegression(out_of_bounds="clip", y_min=1e-4, y_max=1 - 1e-4).fit(tr.oof_margin, y)
    iso_s = iso.predict(fresh_m)
    res["iso_slope"], _ = cal.calibration_slope(iso_s, fresh_p)
    res["iso_ece"] = cal.expected_calibration_error(iso_s, fresh_p)
    asof_s = cal.apply_platt(asof_m, tr.a, tr.b)
    res["slope_asof"], _ = cal.calibration_slope(asof_s, asof_p)
    res["ece_asof"] = cal.expected_calibration_error(asof_s, asof_p)
    res["a"], res["b"] = tr.a, tr.b
    for key, (c, t) in _campaigns(rng, fresh_m, fresh_p, tr, t_list).items():
        res[f"list_{key}"] = c / t if t else float("nan")
        res[f"list_{key}_n"] = t
    for key, (c, t) in _campaigns(rng, asof_m, asof_p, tr, None).items():
        res[f"asoflist_{key}"] = c / t if t else float("nan")
        res[f"asoflist_{key}_n"] = t
    return res


# ---------------------------------------------------------------------------------------------
# Running and reporting
# ---------------------------------------------------------------------------------------------

_DATA: dict = {}


def _init(data: TruthData, samples, hold_idx, seed):
    rng = np.random.default_rng([seed, 99])
    pool = data.pool.iloc[rng.choice(len(data.pool), min(ASOF_SIZE, len(data.pool)), replace=False)]
    hold = data.contacted.iloc[hold_idx[:HOLDOUT_SIZE]]
    # each worker scores the fixed pools; sizes follow the data (small test builds are smaller)
    _DATA.update(
        data=data,
        samples=samples,
        asof_X=pool[data.features].astype(float),
        asof_p=pool["p_true"].to_numpy(),
        fresh_X=hold[data.features].astype(float),
        fresh_p=hold["p_true"].to_numpy(),
        seed=seed,
    )


def run_sample(i: int, schemes) -> list[dict]:
    d = _DATA
    data = d["data"]
    sample = data.contacted.iloc[d["samples"][i]].sort_values("contact_id").reset_index(drop=True)
    X = sample[data.features].astype(float)
    y = sample["responded"].to_numpy()
    groups = sample["lead_id"].astype(str).to_numpy()
    cache, out = {}, []
    for name in sorted(
        schemes, key=lambda s: 0 if s in ("today", "ens5", "product") else int(s[3:].split("x")[0])
    ):
        c0 = time.process_time()
        tr = train_scheme(name, X, y, groups, cache=cache)
        rng = np.random.default_rng([d["seed"], i, 1])
        out.append(
            {
                "sample": i,
                "scheme": name,
                "base_rate": float(y.mean()),
                **evaluate(tr, sample, d["fresh_X"], d["fresh_p"], d["asof_X"], d["asof_p"], rng),
                "cpu_seconds": time.process_time() - c0,
            }
        )
    return out


def dump_sample(i: int, schemes, out_dir: str) -> int:
    """Research aid: save one sample's out-of-fold margins / labels / truth and each scheme's
    deployed margins on both pools (npz), to try rules offline without refitting."""
    d = _DATA
    data = d["data"]
    sample = data.contacted.iloc[d["samples"][i]].sort_values("contact_id").reset_index(drop=True)
    X = sample[data.features].astype(float)
    y = sample["responded"].to_numpy()
    groups = sample["lead_id"].astype(str).to_numpy()
    cache, arrays = {}, {"y": y, "p_rows": sample["p_true"].to_numpy(), "lead_id": groups}
    for name in schemes:
        tr = train_scheme(name, X, y, groups, cache=cache)
        arrays.update(
            {
                f"{name}_oof": tr.oof_margin,
                f"{name}_fresh": tr.margin_fn(d["fresh_X"]),
                f"{name}_asof": tr.margin_fn(d["asof_X"]),
                f"{name}_ab": np.array([tr.a, tr.b]),
            }
        )
    if "reps" in cache and cache["reps"] > 1:
        arrays["oof_by_repeat"] = cache["cf"].oof_margin_by_repeat
    np.savez_compressed(Path(out_dir) / f"sample{i:04d}.npz", **arrays)
    return i


def run(
    data: TruthData,
    n_samples: int,
    schemes,
    workers: int = 2,
    seed: int = DATA_SEED,
    log=print,
    dump_dir=None,
) -> pd.DataFrame:
    """Per-sample, per-scheme measures (one row each)."""
    samples, hold_idx = draw_samples(len(data.contacted), n_samples, seed=seed)
    _init(data, samples, hold_idx, seed)
    rows, t0 = [], time.monotonic()
    if dump_dir is not None:
        import multiprocessing as mp

        Path(dump_dir).mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            Path(dump_dir) / "pools.npz", fresh_p=_DATA["fresh_p"], asof_p=_DATA["asof_p"]
        )
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
            for j, _ in enumerate(
                ex.map(
                    dump_sample,
                    range(n_samples),
                    [schemes] * n_samples,
                    [str(dump_dir)] * n_samples,
                    chunksize=4,
                )
            ):
                if (j + 1) % 20 == 0:
                    log(f"  dumped {j + 1}/{n_samples} samples ({time.monotonic() - t0:.0f}s)")
        return pd.DataFrame()
    if workers <= 1:
        for i in range(n_samples):
            rows += run_sample(i, schemes)
    else:
        import multiprocessing as mp

        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as ex:
            for j, res in enumerate(
                ex.map(run_sample, range(n_samples), [schemes] * n_samples, chunksize=4)
            ):
                rows += res
                if (j + 1) % 20 == 0:
                    log(f"  {j + 1}/{n_samples} samples ({time.monotonic() - t0:.0f}s)")
    return pd.DataFrame(rows)


def _q(s: pd.Series, qs=(0.1, 0.5, 0.9)):
    return [float(np.nanquantile(s, q)) for q in qs]


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    """One column per scheme, one row per measure (numbers; formatting in format_table)."""
    out = {}
    for name, g in df.groupby("scheme", sort=False):
        c = {
            "samples": len(g),
            "fits per sample": g["fits"].mean(),
            "train CPU seconds per sample": g["seconds"].mean(),
            "train+evaluate CPU seconds per sample": g["cpu_seconds"].mean(),
            "CV AUC (mean)": g["cv_auc"].mean(),
            "fresh AUC (mean)": g["fresh_auc"].mean(),
        }
        for k in K_VALUES:
            d = g[f"del@{k}"]
            c[f"P@{k} bias CV-delivered"] = (g[f"cv@{k}"] - d).mean()
            for lab, lo, hi in (
                ("Wilson", "lo", "hi"),
                ("bootstrap", "blo", "bhi"),
                ("Wilson+bootstrap", "ulo", "uhi"),
            ):
                c[f"P@{k} coverage, {lab}"] = ((g[f"{lo}@{k}"] <= d) & (d <= g[f"{hi}@{k}"])).mean()
                c[f"P@{k} missed low/high, {lab}"] = (
                    (g[f"{hi}@{k}"] < d).mean(),
                    (g[f"{lo}@{k}"] > d).mean(),
                )
            c[f"P@{k} bias vs as_of population"] = (g[f"cv@{k}"] - g[f"dela@{k}"]).mean()
            c[f"P@{k} Wilson coverage of its own K OOF rows"] = (
                (g[f"lo@{k}"] <= g[f"rows@{k}"]) & (g[f"rows@{k}"] <= g[f"hi@{k}"])
            ).mean()
        rules = [
            col[4:-8] for col in g.columns if col.startswith("thr_") and col.endswith("_reached")
        ]
        for r in rules:
            reached = g[f"thr_{r}_reached"].astype(bool)
            dlv = g[f"thr_{r}_delivered"]
            c[f"thr {r}: reached"] = reached.mean()
            c[f"thr {r}: delivers >= target | reached"] = (
                (dlv[reached] >= TARGET - 1e-12).mean() if reached.any() else float("nan")
            )
            c[f"thr {r}: delivers >= target (of all samples)"] = (
                reached & (dlv >= TARGET - 1e-12)
            ).mean()
            c[f"thr {r}: delivers < 0.60 | reached"] = (
                (dlv[reached] < 0.60).mean() if reached.any() else float("nan")
            )
            c[f"thr {r}: delivered p10/p50 | reached"] = (
                _q(dlv[reached], (0.1, 0.5)) if reached.any() else float("nan")
            )
            c[f"thr {r}: share of fresh leads selected p50 | reached"] = (
                g.loc[reached, f"thr_{r}_share"].median() if reached.any() else float("nan")
            )
        c["calibration slope p10/p50/p90"] = _q(g["slope"])
        c["calibration intercept p50"] = g["intercept"].median()
        c["ECE p10/p50/p90"] = _q(g["ece"])
        c["ECE floor: |sample base rate - truth| p50"] = g["base_rate_error"].median()
        c["ECE floor: best Platt on the truth p50"] = g["ece_oracle_platt"].median()
        c["isotonic instead: slope p50 / ECE p50"] = (
            g["iso_slope"].median(),
            g["iso_ece"].median(),
        )
        c["as_of: calibration slope p50"] = g["slope_asof"].median()
        c["as_of: ECE p50"] = g["ece_asof"].median()
        for col in [x for x in g.columns if "list_" in x and not x.endswith("_n")]:
            lab = col.replace("asoflist_", "as_of: ").replace("list_", "list ")
            if col.endswith("relerr"):
                c[f"{lab}: (expected-true)/true p10/p50/p90"] = _q(g[col])
            else:
                w = g[col + "_n"]
                c[f"{lab}: coverage"] = (
                    float((g[col] * w).sum() / w.sum()) if w.sum() else float("nan")
                )
        out[name] = c
    return pd.DataFrame(out)


def format_table(summary: pd.DataFrame) -> str:
    def fmt(v):
        if isinstance(v, (list, tuple)):
            return "/".join(fmt(x) for x in v)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return "n/a"
        if isinstance(v, (int, np.integer)):
            return str(v)
        return f"{v:.3f}"

    w = max(len(i) for i in summary.index) + 1
    cols = list(summary.columns)
    cw = max(22, *(len(c) + 2 for c in cols))
    lines = [f"{'measure':<{w}}" + "".join(f"{c:>{cw}}" for c in cols), "-" * (w + cw * len(cols))]
    for idx, row in summary.iterrows():
        lines.append(f"{idx:<{w}}" + "".join(f"{fmt(row[c]):>{cw}}" for c in cols))
    return "\n".join(lines)


HEADER = __doc__.split("Definitions (printed in the header too):")[1]


def small_run(
    workdir,
    n_samples: int = 6,
    schemes=("today", "ens5x5"),
    workers: int = 1,
    holdout: int = 3000,
    pool: int = 3000,
) -> pd.DataFrame:
    """A small harness run for the test suite: its own small generation + dbt build in
    workdir, n_samples samples; returns summarise(...) (one column per scheme)."""
    data = prepare_data(
        Path(workdir), n_samples, pool_size=pool, holdout=holdout, log=lambda m: None
    )
    return summarise(run(data, n_samples, list(schemes), workers, log=lambda m: None))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="truth harness: leadscore train vs the hidden truth")
    ap.add_argument("--samples", type=int, default=None)
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_SAMPLES} samples")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=WORKDIR)
    ap.add_argument("--schemes", default="product,today,ens5x5")
    ap.add_argument(
        "--sample-size",
        type=int,
        default=SAMPLE_SIZE,
        help="labelled contacts per training sample (default %(default)s)",
    )
    ap.add_argument("--seed", type=int, default=DATA_SEED)
    ap.add_argument("--csv", type=Path, default=None, help="also write the per-sample rows here")
    ap.add_argument(
        "--check-iid",
        type=int,
        default=0,
        metavar="N",
        help="also build N separate 303-contact generations and compare base rate / CV AUC",
    )
    args = ap.parse_args(argv)
    n = args.samples or (QUICK_SAMPLES if args.quick else FULL_SAMPLES)
    globals()["SAMPLE_SIZE"] = args.sample_size  # read at call time; forked workers inherit it
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.monotonic()
    # the data set is sized for the full run, so --quick reuses the same cached build
    data = prepare_data(args.workdir, max(n, FULL_SAMPLES), args.seed, log=log)
    schemes = [s.strip() for s in args.schemes.split(",") if s.strip()]
    df = run(data, n, schemes, args.workers, args.seed, log=log)
    if args.csv:
        df.to_csv(args.csv, index=False)
    info = data.info
    print(
        f"Truth harness: {n} samples of {SAMPLE_SIZE} contacts; data seed {args.seed}; "
        f"{info['contacted_rows']:,} contacted rows (base rate {info['base_rate']:.3f}, mean true "
        f"p {info['mean_p_true_contacted']:.3f}); fresh leads: {HOLDOUT_SIZE:,} held-out contacted; "
        f"as_of: {ASOF_SIZE:,} of {info['pool_rows']:,} uncontacted leads at {info['as_of']} "
        f"(mean true p {info['mean_p_true_pool']:.3f}); target precision {TARGET}; threshold "
        f"list rule {LIST_RULE}; wall {time.monotonic() - t0:.0f}s with {args.workers} workers"
    )
    if args.check_iid:
        sep = separate_generations(args.workdir, args.check_iid)
        g = df[df["scheme"] == schemes[0]]
        print(
            f"i.i.d. check: {len(sep)} separate 1303/303 generations: base rate "
            f"{sep['base_rate'].mean():.3f} +- {sep['base_rate'].std():.3f}, 5-fold CV AUC "
            f"{sep['cv_auc'].mean():.3f} +- {sep['cv_auc'].std():.3f}; samples of the big set "
            f"({schemes[0]}): base rate {g['base_rate'].mean():.3f} +- {g['base_rate'].std():.3f}, "
            f"CV AUC {g['cv_auc'].mean():.3f} +- {g['cv_auc'].std():.3f}"
        )
    print("Definitions:" + HEADER.rstrip())
    print()
    print(format_table(summarise(df)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
