"""A notebook-style pandas peer: the same 47 features and scores, written the way a data
scientist would in a notebook (read the files, clean, groupby/merge, predict, sort, to_csv).

    PYTHONPATH=ml .venv/bin/python benchmarks/pandas_peer.py --raw RAW_DIR --out scores.csv
        [--model-dir ml/artifacts/linkedin_sample] [--as-of 2026-10-31] [--check-against DB]

It is the "what would people do without the product" reference, not a yardstick of
exactness: it follows the product's rules (trimmed keys, first occurrence wins, unknown
leads dropped, numbers >= 0 and <= 1e12, vocabularies from seeds/, as_of = midnight after
the latest activity, behaviour strictly before it) but with pandas' own parsers, so exotic
inputs (e.g. "1_000" as a number, which DuckDB accepts) may be read differently. With
--check-against it reports how far its scores, ranks and tiers are from the product's.
Model application goes through limit_script.apply_model (one place to follow a new model).
Memory: pandas holds every activity row in memory (about 80 bytes per event plus copies), so
scale_bench.py skips it above a size it states.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (
    ACTIVITY_COUNT_FEATURES,
    COMPLETENESS_FIELDS,
    DEFAULT_MODEL_DIR,
    FALSE_WORDS,
    ONE_HOT_FEATURES,
    SEEDS_DIR,
    TRUE_WORDS,
    compare_scores,
    connect_duckdb,
    format_check,
    raw_file,
    sql_str,
)
from limit_script import apply_model, model_feature_names, tier_bins


def read_raw(folder: Path, name: str) -> pd.DataFrame:
    """Every column as text ('' = missing), in file order."""
    path = raw_file(folder, name)
    if path.suffix == ".parquet":
        return pd.read_parquet(path).fillna("")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def text(s: pd.Series) -> pd.Series:
    """Trimmed (spaces only, like SQL trim), '' -> missing."""
    s = s.str.strip(" ")
    return s.where(s != "")


THOUSANDS = r"[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?"


def number(s: pd.Series, allow_capped_500: bool = False, whole: bool = False) -> pd.Series:
    """Non-negative finite number <= 1e12, else NaN; a comma only as a thousands separator;
    with whole, a fraction ("2.5") is NaN."""
    t = text(s)
    comma = t.str.contains(",", regex=False, na=False)
    digits = t.where(
        ~comma, t.where(t.str.fullmatch(THOUSANDS, na=False)).str.replace(",", "", regex=False)
    )
    if allow_capped_500:
        digits = digits.str.replace("500+", "500", regex=False)
    num = pd.to_numeric(digits, errors="coerce").astype(float)
    usable = (num >= 0) & (num <= 1e12)
    if whole:
        usable &= num == np.floor(num)
    return num.where(usable)


def count(s: pd.Series, allow_capped_500: bool = False) -> pd.Series:
    return number(s, allow_capped_500, whole=True)


def flag(s: pd.Series) -> pd.Series:
    c = text(s).str.lower()
    return pd.Series(
        np.where(c.isin(TRUE_WORDS), 1.0, np.where(c.isin(FALSE_WORDS), 0.0, np.nan)), index=s.index
    )


def timestamp(s: pd.Series) -> pd.Series:
    ts = pd.to_datetime(text(s), errors="coerce", utc=True, format="ISO8601")
    return ts.dt.tz_convert(None)


def first_by_key(df: pd.DataFrame, key: str) -> pd.DataFrame:
    df = df.assign(**{key: text(df[key])})
    return df[df[key].notna()].drop_duplicates(key, keep="first")


def seed(name: str, seeds_dir: Path) -> pd.DataFrame:
    return pd.read_csv(seeds_dir / f"{name}.csv", dtype=str, keep_default_na=False)


def lead_profile_features(raw: pd.DataFrame, seeds_dir: Path) -> pd.DataFrame:
    leads = first_by_key(raw, "lead_id")
    f = pd.DataFrame({"lead_id": leads["lead_id"]})
    sen = seed("seniority_levels", seeds_dir).set_index("seniority")
    sizes = seed("company_sizes", seeds_dir).set_index("company_size")
    seniority = text(leads["seniority"]).str.lower().str.replace(" ", "", regex=False)
    size = (
        text(leads["company_size"])
        .str.lower()
        .str.replace(" ", "", regex=False)
        .str.replace(",", "", regex=False)
    )
    size = size.where(size.isin(sizes.index))
    f["seniority_rank"] = seniority.map(sen["seniority_rank"]).astype(float)
    f["is_decision_maker"] = seniority.map(sen["is_decision_maker"]).astype(float)
    f["company_size_rank"] = size.map(sizes["company_size_rank"]).astype(float)
    f["connections"] = count(leads["connections"], allow_capped_500=True)
    f["connections_capped"] = np.where(
        f["connections"].isna(), np.nan, (f["connections"] >= 500).astype(float)
    )
    f["log_followers"] = np.log1p(count(leads["followers"]))
    f["years_in_role"] = number(leads["years_in_role"])
    f["years_experience"] = number(leads["years_experience"])
    for col in ("has_photo", "is_premium", "is_open_profile", "open_to_work"):
        f[col] = flag(leads[col])
    for col in ("skills_count", "recommendations_count", "mutual_connections", "shared_groups"):
        f[col] = count(leads[col])

    email = text(leads["email"])
    # SQL: email like '%_@_%.%'
    email = email.where(email.str.fullmatch(r"(?s).+@.+\..*", na=False)).str.lower()
    cleaned = {"email": email, "company_size": size}
    for col in COMPLETENESS_FIELDS:
        present = cleaned[col] if col in cleaned else text(leads[col])
        f[f"_has_{col}"] = present.notna().astype(float)
    f["profile_completeness"] = f[[f"_has_{c}" for c in COMPLETENESS_FIELDS]].sum(axis=1) / 8.0
    f = f.drop(columns=[f"_has_{c}" for c in COMPLETENESS_FIELDS])
    free = set(seed("free_email_domains", seeds_dir)["email_domain"])
    domain = email.str.split("@").str[1]
    f["has_business_email"] = np.where(email.isna(), np.nan, (~domain.isin(free)).astype(float))
    f["_created_at"] = timestamp(leads["created_at"])
    # np.minimum keeps NaN: a missing years_in_role gives NULL, as in the product
    f["role_tenure_ratio"] = np.where(
        f["years_experience"] > 0,
        np.minimum(f["years_in_role"] / f["years_experience"], 1.0),
        np.nan,
    )

    groups = {
        "function_group": text(leads["job_function"])
        .str.lower()
        .map(seed("job_function_groups", seeds_dir).set_index("job_function")["function_group"]),
        "industry_group": text(leads["industry"])
        .str.lower()
        .map(seed("industry_groups", seeds_dir).set_index("industry")["industry_group"]),
        "region": text(leads["country"])
        .str.lower()
        .map(seed("country_regions", seeds_dir).set_index("country")["region"]),
        "source_group": text(leads["lead_source"])
        .str.lower()
        .map(seed("lead_sources", seeds_dir).set_index("lead_source")["source_group"]),
    }
    for group, value, feature in ONE_HOT_FEATURES:
        f[feature] = (groups[group] == value).astype(float)
    return f


def accepted_activities(raw: pd.DataFrame, lead_ids: pd.Series) -> pd.DataFrame:
    acts = first_by_key(raw, "activity_id")
    acts = pd.DataFrame(
        {
            "lead_id": text(acts["lead_id"]),
            "activity_type": text(acts["activity_type"]).str.lower(),
            "occurred_at": timestamp(acts["occurred_at"]),
        }
    )
    known_types = [t for t, _ in ACTIVITY_COUNT_FEATURES]
    acts["activity_type"] = acts["activity_type"].where(acts["activity_type"].isin(known_types))
    return acts[acts["occurred_at"].notna() & acts["lead_id"].isin(lead_ids)]


def behaviour_features(acts: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    acts = acts[acts["occurred_at"] < as_of]
    by_type = pd.crosstab(acts["lead_id"], acts["activity_type"])
    b = pd.DataFrame(index=acts["lead_id"].unique())
    for activity_type, feature in ACTIVITY_COUNT_FEATURES:
        b[feature] = by_type.get(activity_type, 0)
    acts = acts.assign(
        in_30d=acts["occurred_at"] >= as_of - pd.Timedelta(days=30),
        in_90d=acts["occurred_at"] >= as_of - pd.Timedelta(days=90),
    )
    per_lead = acts.groupby("lead_id").agg(
        activities_30d=("in_30d", "sum"),
        activities_90d=("in_90d", "sum"),
        _last_activity_at=("occurred_at", "max"),
        distinct_activity_types=("activity_type", "nunique"),
    )
    return b.join(per_lead).rename_axis("lead_id").reset_index()


def day_diff(start: pd.Series, end: pd.Timestamp) -> pd.Series:
    """Calendar-day boundaries crossed, like SQL date_diff('day', start, end)."""
    return (end.normalize() - start.dt.normalize()).dt.days.astype(float)


def features(raw_dir: Path, seeds_dir: Path, as_of: str | None) -> pd.DataFrame:
    profile = lead_profile_features(read_raw(raw_dir, "leads"), seeds_dir)
    acts = accepted_activities(read_raw(raw_dir, "activities"), profile["lead_id"])
    if as_of:  # a backfill: only the leads created before it (or at an unknown time)
        moment = pd.Timestamp(as_of)
        created = profile["_created_at"]
        profile = profile[created.isna() | (created < moment)]
    else:
        latest = acts["occurred_at"].max() if len(acts) else profile["_created_at"].max()
        moment = latest.normalize() + pd.Timedelta(days=1)
    df = profile.merge(behaviour_features(acts, moment), on="lead_id", how="left")
    counts = [f for _, f in ACTIVITY_COUNT_FEATURES] + [
        "activities_30d",
        "activities_90d",
        "distinct_activity_types",
    ]
    df[counts] = df[counts].fillna(0).astype(float)
    df["feature_as_of"] = moment
    age = day_diff(df["_created_at"], moment)
    df["lead_age_days"] = age.where(age >= 0)
    df["days_since_last_activity"] = day_diff(df["_last_activity_at"], moment)
    df["email_click_rate"] = np.where(
        df["email_opens"] > 0,
        df["email_clicks"] / df["email_opens"].where(df["email_opens"] > 0),
        np.nan,
    )
    return df


def score(df: pd.DataFrame, model_dir) -> pd.DataFrame:
    names = model_feature_names(model_dir)
    x = df[names].to_numpy(dtype=np.float32)
    raw, calibrated = apply_model(model_dir, x)
    bins, labels = tier_bins(model_dir)
    out = pd.DataFrame(
        {"lead_id": df["lead_id"].to_numpy(), "engagement_score": calibrated, "raw_score": raw}
    )
    out["priority"] = np.asarray(labels, dtype=object)[
        np.searchsorted(bins, calibrated, side="right")
    ]
    out = out.sort_values(
        ["engagement_score", "lead_id"], ascending=[False, True], ignore_index=True
    )
    out["score_rank"] = np.arange(1, len(out) + 1)
    out["score_percentile"] = (100.0 * out["engagement_score"].rank(method="max") / len(out)).round(
        4
    )
    out["feature_as_of"] = df["feature_as_of"].iloc[0] if len(df) else pd.NaT
    return out


def run(
    raw_dir: Path, out: Path, model_dir, as_of: str | None = None, seeds_dir: Path = SEEDS_DIR
) -> dict:
    timings = {}
    t = time.perf_counter()
    df = features(raw_dir, seeds_dir, as_of)
    timings["features_s"] = time.perf_counter() - t
    t = time.perf_counter()
    scored = score(df, model_dir)
    timings["score_and_sort_s"] = time.perf_counter() - t
    t = time.perf_counter()
    scored.to_csv(out, index=False)
    timings["write_csv_s"] = time.perf_counter() - t
    timings["leads"] = len(scored)
    return timings


def check_against(db_path: Path, out: Path) -> dict:
    con = connect_duckdb()
    con.execute(f"attach {sql_str(db_path)} as product (read_only)")
    result = compare_scores(
        con,
        "product.lead_scores",
        f"read_csv({sql_str(out)}, header = true, "
        "types = {'lead_id': 'VARCHAR', 'priority': 'VARCHAR'})",
        "pandas_peer",
    )
    con.close()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="scored leads, CSV")
    ap.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--as-of", default=None)
    ap.add_argument(
        "--check-against",
        type=Path,
        default=None,
        help="a build or published DuckDB file holding the product's lead_scores",
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    stats = run(args.raw, args.out, args.model_dir, args.as_of)
    stages = ", ".join(f"{k[:-2]} {v:.1f}s" for k, v in stats.items() if k.endswith("_s"))
    print(
        f"pandas_peer: {stats['leads']:,} leads scored in {time.perf_counter() - t0:.1f}s "
        f"({stages}) -> {args.out}"
    )
    if args.check_against:
        print(format_check(check_against(args.check_against, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
