"""The hidden response model behind the synthetic LinkedIn data (ground truth, never trained on).

`leadscore generate` and `leadscore simulate-campaign` draw each contacted lead's reply from
`response_probability`. It reads only what a scorer could observe at contact time: the raw
profile (text values exactly as in leads files, so casing/whitespace/bad values are tolerated)
and the lead's activities strictly before the contact time. On top of that comes a per-lead
latent "mood" that no feature can see, so the data is learnable but not separable.

Log-odds of a reply (all effects additive on the logit scale, then a logistic link):

* seniority sweet spot: manager / director reply most, VP somewhat, senior/owner neutral,
  C-level and partners less, entry / training / unpaid profiles rarely;
* company size hump: 11-500 employees best, solo shops and 5000+ enterprises worst;
* lead source: inbound, referral and event leads warmer; csv imports colder;
* profile signals: open profile (+), no photo (-), mutual connections (log, saturating),
  business e-mail vs free-mail (small +);
* interaction open_to_work x recent activity: job seekers active in the last 30 days reply
  eagerly, job seekers who went quiet barely reply (they are busy elsewhere);
* saturating behaviour: message replies and e-mail clicks add 1-exp(-n/s) shaped bonuses
  (the first reply matters, the tenth hardly); content downloads / event registrations a bit;
* recency decay: exp(-days_since_last_activity / 21); leads with no pre-contact activity
  are penalised;
* latent noise: a standard normal drawn deterministically from hash(seed, lead_id), scaled
  by NOISE_SD, so simulate-campaign recomputes the same propensity for the same lead.

The intercept is set so that about 40 % of contacted leads reply (INTERCEPT -1.15,
EFFECT_SCALE 1.6, NOISE_SD 0.8). What a model trained on 303 labelled contacts achieves is
measured, not claimed here: `benchmarks/truth_harness.py --schemes product` trains with
`leadscore train`'s defaults on many 303-contact samples and prints the mean CV AUC and
precision@K (and, with --check-iid N, the same for N separate `generate --leads 1303
--contacted 303` data sets); docs/training.md quotes its last run. The bundled sample's
figures are the shipped card's (`leadscore card`). Leaking post-contact activities into the
features pushes the AUC towards 0.95 (benchmarks/leakage_bench.py).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy.special import ndtri

# Logit effects; EFFECT_SCALE / NOISE_SD / INTERCEPT were tuned by cross-validating XGBoost
# on generated samples (see the module docstring).
INTERCEPT = -1.15
EFFECT_SCALE = 1.6
NOISE_SD = 0.8
SENIORITY_EFFECT = {
    "entry": -0.6,
    "senior": 0.0,
    "manager": 0.7,
    "director": 0.7,
    "vp": 0.25,
    "cxo": -0.35,
    "owner": -0.05,
    "partner": -0.3,
    "training": -0.9,
    "unpaid": -1.0,
}
COMPANY_SIZE_EFFECT = {
    "1-10": -0.5,
    "11-50": 0.15,
    "51-200": 0.45,
    "201-500": 0.4,
    "501-1000": 0.1,
    "1001-5000": -0.1,
    "5001-10000": -0.35,
    "10001+": -0.55,
}
SOURCE_EFFECT = {
    "inbound": 0.55,
    "referral": 0.45,
    "event": 0.3,
    "sales_navigator": 0.0,
    "linkedin_ads": -0.05,
    "csv_import": -0.4,
}
FREE_MAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com")
TRUE_TEXT = {"true", "t", "1", "yes", "y"}


def _norm_text(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower()


def _bool(s: pd.Series) -> np.ndarray:
    return _norm_text(s).isin(TRUE_TEXT).fillna(False).to_numpy(dtype=bool)


def _num(s: pd.Series) -> np.ndarray:
    x = pd.to_numeric(s.astype("string").str.strip(), errors="coerce").to_numpy(dtype=float)
    x[x < 0] = np.nan
    return x


def _timestamps(s) -> np.ndarray:
    """Seconds since epoch (float, NaN for unparseable)."""
    ts = pd.to_datetime(pd.Series(s), errors="coerce", format="ISO8601")
    out = ts.astype("datetime64[s]").to_numpy().astype("int64").astype(float)
    out[ts.isna().to_numpy()] = np.nan
    return out


def latent_noise(lead_ids, seed: int) -> np.ndarray:
    """Standard-normal latent per lead, a pure function of (seed, lead_id)."""
    key = hashlib.sha256(f"leadscore-hidden-{int(seed)}".encode()).hexdigest()[:16]
    h = pd.util.hash_pandas_object(
        pd.Series(lead_ids, dtype="string"), index=False, hash_key=key
    ).to_numpy(dtype=np.uint64)
    u = ((h >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)
    return ndtri(u)


def behaviour_aggregates(lead_ids, activities: pd.DataFrame, as_of_seconds: np.ndarray) -> dict:
    """Pre-contact behaviour per lead (activities strictly before that lead's as_of)."""
    lead_ids = pd.Series(lead_ids, dtype="string").reset_index(drop=True)
    n = len(lead_ids)
    out = {k: np.zeros(n) for k in ("replies", "clicks", "downloads", "recent30", "total")}
    out["days_since_last"] = np.full(n, np.nan)
    if activities is None or len(activities) == 0 or n == 0:
        return out
    pos = pd.Series(np.arange(n), index=pd.Index(lead_ids))
    pos = pos[~pos.index.duplicated()]
    idx = pos.reindex(pd.Index(activities["lead_id"].astype("string"))).to_numpy()
    keep = ~np.isnan(idx)
    idx = idx[keep].astype(np.int64)
    occurred = activities["occurred_at"].to_numpy()[keep]
    if np.issubdtype(occurred.dtype, np.number):  # already seconds since epoch (generator)
        t = occurred.astype(float)
    else:
        t = _timestamps(occurred)
    typ = _norm_text(activities["activity_type"].iloc[np.flatnonzero(keep)]).to_numpy(dtype=object)
    asof = as_of_seconds[idx]
    pre = (t < asof) & ~np.isnan(t)
    idx, t, typ, asof = idx[pre], t[pre], typ[pre], asof[pre]
    out["total"] = np.bincount(idx, minlength=n).astype(float)
    out["replies"] = np.bincount(idx, weights=(typ == "message_reply"), minlength=n)
    out["clicks"] = np.bincount(idx, weights=(typ == "email_click"), minlength=n)
    out["downloads"] = np.bincount(
        idx, weights=((typ == "content_download") | (typ == "event_registration")), minlength=n
    )
    out["recent30"] = np.bincount(idx, weights=(asof - t) < 30 * 86400, minlength=n)
    last = np.full(n, -np.inf)
    np.maximum.at(last, idx, t)
    has = np.isfinite(last)
    out["days_since_last"][has] = (as_of_seconds[has] - last[has]) / 86400.0
    return out


def _as_of_seconds(as_of, n: int) -> np.ndarray:
    if isinstance(as_of, (pd.Series, np.ndarray, list, tuple)):
        arr = _timestamps(np.asarray(as_of))
        if len(arr) != n:
            raise ValueError("as_of must be a scalar or have one value per lead")
        return arr
    return np.full(n, _timestamps([as_of])[0])


def response_logit(leads: pd.DataFrame, activities: pd.DataFrame, as_of, seed: int) -> np.ndarray:
    n = len(leads)
    asof = _as_of_seconds(as_of, n)
    b = behaviour_aggregates(leads["lead_id"].to_numpy(), activities, asof)
    z = np.zeros(n)
    z += _norm_text(leads["seniority"]).map(SENIORITY_EFFECT).fillna(-0.2).to_numpy(dtype=float)
    z += (
        _norm_text(leads["company_size"])
        .map(COMPANY_SIZE_EFFECT)
        .fillna(-0.1)
        .to_numpy(dtype=float)
    )
    z += _norm_text(leads["lead_source"]).map(SOURCE_EFFECT).fillna(0.0).to_numpy(dtype=float)
    z += np.where(_bool(leads["is_open_profile"]), 0.3, 0.0)
    z += np.where(_bool(leads["has_photo"]), 0.0, -0.35)
    mutual = np.nan_to_num(_num(leads["mutual_connections"]), nan=0.0)
    z += 0.45 * (1 - np.exp(-mutual / 10.0)) - 0.15
    email = _norm_text(leads["email"]).fillna("")
    domain = email.str.split("@").str[-1]
    business = (email.str.contains("@", regex=False) & ~domain.isin(FREE_MAIL_DOMAINS)).to_numpy(
        dtype=bool
    )
    z += np.where(business, 0.15, 0.0)
    # open_to_work x recent activity interaction
    otw = _bool(leads["open_to_work"])
    recent = b["recent30"] > 0
    z += np.where(otw & recent, 1.0, np.where(otw, -0.4, 0.0))
    # saturating behaviour
    z += 1.2 * (1 - np.exp(-b["replies"] / 1.0))
    z += 0.7 * (1 - np.exp(-b["clicks"] / 1.5))
    z += 0.3 * (1 - np.exp(-b["downloads"] / 1.0))
    # recency decay; no activity at all is a penalty
    dsl = b["days_since_last"]
    z += np.where(np.isnan(dsl), -0.45, 0.8 * np.exp(-np.nan_to_num(dsl, nan=1e9) / 21.0))
    return INTERCEPT + EFFECT_SCALE * z + NOISE_SD * latent_noise(leads["lead_id"].to_numpy(), seed)


def response_probability(
    leads: pd.DataFrame, activities: pd.DataFrame, as_of, seed: int
) -> np.ndarray:
    """P(reply) per row of `leads` for a contact at `as_of` (scalar, or one value per lead).

    leads / activities: raw-contract columns (text as in the files; activities' occurred_at
    may also be datetime64). Only activities strictly before each lead's as_of count.
    """
    return 1.0 / (1.0 + np.exp(-response_logit(leads, activities, as_of, seed)))
