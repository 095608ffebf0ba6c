"""The hand-written limit: raw files -> 47 features -> scores, ranks, tiers, in one script.

    PYTHONPATH=ml .venv/bin/python benchmarks/limit_script.py --raw RAW_DIR --out scores.parquet
        [--model-dir ml/artifacts/linkedin_sample] [--as-of '2026-10-31'] [--check-against DB]
        [--memory-limit 5GB] [--threads 2] [--temp-dir DIR]

What a competent engineer would write by hand, with no framework: DuckDB reads the raw
folder (the same leads/activities files as `leadscore build`, CSV or Parquet), types and
cleans them with the product's rules, computes the same 47 features with one aggregate,
XGBoost scores with inplace_predict, and DuckDB ranks and writes one Parquet file with
lead_id, engagement_score, raw_score, score_rank, score_percentile, priority, feature_as_of.

It is the yardstick for `leadscore build`: same input, same scores (checked to 1e-9, with
identical rank / percentile / tier, by --check-against), none of the product's extras (no
data-quality report, training set, reason codes, marts, tests or publishing).

Semantics copied from the product's SQL (models/staging, models/intermediate, macros):
  * keys: trimmed; a missing or repeated key rejects the row (first occurrence by file
    line is kept); activities of unknown leads or with an unparseable occurred_at are dropped;
  * values: numbers non-negative and <= 1e12 ("1,234" ok, connections "500+" = 500), counts
    rounded to integers, booleans true/t/yes/y/1 and false/f/no/n/0, timestamps ISO-8601 in UTC;
    vocabularies from seeds/*.csv, unlisted -> NULL (enums) or 'other' (groups);
  * as_of: --as-of (then only leads created before it are scored), else midnight after the
    latest accepted activity (else newest lead);
    behaviour uses activities strictly before it;
  * score: calibrated probability; rank by score desc then lead_id; percentile
    round(100 * cume_dist, 4); tier from the model card's bins (lower bound inclusive).
The DuckDB budget (memory_limit, threads, temp_directory) is the product profile's:
LEADSCORE_DUCKDB_MEMORY_LIMIT / _THREADS / _TEMP_DIR, defaults 5GB / 2 / <out>.tmp.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (
    ACTIVITY_COLUMNS,
    ACTIVITY_COUNT_FEATURES,
    COMPLETENESS_FIELDS,
    DEFAULT_MODEL_DIR,
    FALSE_WORDS,
    LEAD_COLUMNS,
    ONE_HOT_FEATURES,
    SEEDS_DIR,
    TRUE_WORDS,
    compare_features,
    compare_scores,
    connect_duckdb,
    duckdb_limits,
    format_check,
    raw_file,
    sql_str,
)

BATCH_ROWS = 500_000  # feature rows per Arrow batch fed to XGBoost (bounds Python memory)


# ------------------------------------------------------------------------------------------
# The model: the ONE place that knows how an artifact turns features into scores. When the
# model scheme changes (e.g. an ensemble), only this function has to follow.


@functools.lru_cache(maxsize=4)
def _load(artifact_dir: str):
    from leadscore.artifact import load_artifact

    return load_artifact(artifact_dir)


def apply_model(artifact_dir, feature_matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(margins, calibrated scores) for a float32 matrix in the card's feature order: the mean
    of the members' inplace_predict margins (Artifact.predict_margin)."""
    from leadscore.artifact import calibrate

    artifact = _load(str(artifact_dir))
    raw = artifact.predict_margin(feature_matrix)
    return raw, calibrate(artifact.card, raw)


def model_feature_names(artifact_dir) -> list[str]:
    return _load(str(artifact_dir)).feature_names


def tier_of(artifact_dir, scores: np.ndarray) -> pa.Array:
    """Priority tier per score from the card's bins (a score on a bin's lower bound goes up)."""
    bins, labels = tier_bins(artifact_dir)
    return pa.array(labels, pa.string()).take(pa.array(np.searchsorted(bins, scores, side="right")))


def tier_bins(artifact_dir) -> tuple[np.ndarray, list[str]]:
    """(inner bounds, labels) of the card's tiers: labels[searchsorted(bounds, score, 'right')]
    is a score's tier (each tier's min_score is inclusive; the first starts at 0)."""
    tiers = _load(str(artifact_dir)).card.tiers
    return np.asarray([t.min_score for t in tiers[1:]], dtype=float), [t.label for t in tiers]


# ------------------------------------------------------------------------------------------
# SQL building blocks: the product's cleaning rules (macros/staging/clean_values.sql).


def text(col: str) -> str:
    return f"nullif(trim({col}), '')"


def code(col: str) -> str:
    return f"lower(nullif(trim({col}), ''))"


def number(col: str, allow_capped_500: bool = False, whole: bool = False) -> str:
    """Non-negative finite number <= 1e12, else NULL. A comma only as a thousands separator
    ("1,234" -> 1234; "2,5" -> NULL); "500+" -> 500 if allowed; with whole, "2.5" -> NULL."""
    txt = text(col)
    thousands = f"regexp_full_match({txt}, '[0-9]{{1,3}}(,[0-9]{{3}})+([.][0-9]+)?')"
    digits = f"(case when {txt} not like '%,%' then {txt} when {thousands} then replace({txt}, ',', '') end)"
    if allow_capped_500:
        digits = f"replace({digits}, '500+', '500')"
    num = f"try_cast({digits} as double)"
    whole_rule = f" and {num} = floor({num})" if whole else ""
    return f"(case when {num} >= 0 and {num} <= 1e12{whole_rule} then {num} end)"


def count(col: str, allow_capped_500: bool = False) -> str:
    """A count: a whole number (staging casts counts to BIGINT; "2.5" is not a count)."""
    return f"cast(cast({number(col, allow_capped_500, whole=True)} as bigint) as double)"


def flag(col: str) -> str:
    """Boolean text -> 1.0 / 0.0 / NULL."""
    words = lambda ws: ", ".join(sql_str(w) for w in ws)  # noqa: E731
    return (
        f"cast(case when {code(col)} in ({words(TRUE_WORDS)}) then 1 "
        f"when {code(col)} in ({words(FALSE_WORDS)}) then 0 end as double)"
    )


def timestamp(col: str) -> str:
    """ISO-8601 text -> UTC timestamp, NULL when unparseable (offsets honoured)."""
    return f"timezone('UTC', try_cast({text(col)} as timestamptz))"


def raw_reader(path: Path, columns: list[str]) -> str:
    """Every column as text plus source_line (the file line, header = 1), like read_raw_file."""
    cols = ", ".join(f'cast("{c}" as varchar) as {c}' for c in columns)
    if path.suffix == ".parquet":
        return (
            f"select {cols}, file_row_number + 1 as source_line "
            f"from read_parquet({sql_str(path)}, file_row_number = true)"
        )
    return (
        f"select {cols}, row_number() over () + 1 as source_line from read_csv("
        f"{sql_str(path)}, all_varchar = true, header = true, delim = ',', quote = '\"', "
        f"escape = '\"')"
    )


def first_by_key(reader_sql: str, key: str) -> str:
    """Rows whose trimmed key is present and seen for the first time (by file line).

    Ranking every row by key (a window) would sort the whole file: at 100M events that
    spills gigabytes and takes minutes. Instead, find the keys whose 64-bit hash repeats
    (an aggregate of 8-byte integers; empty on clean data), rank only those rows, and drop
    the repeats. A hash collision only adds suspects, which the exact ranking then clears.
    """
    k = text(key)
    return f"""
        with r as not materialized ({reader_sql}),
        suspect_hashes as (
            select hash({k}) as h from r where {k} is not null group by h having count(*) > 1),
        repeats as (
            select source_line from (
                select source_line,
                       row_number() over (partition by {k} order by source_line) as occurrence
                from r where hash({k}) in (select h from suspect_hashes))
            where occurrence > 1)
        select * from r
        where {k} is not null and source_line not in (select source_line from repeats)"""


# ------------------------------------------------------------------------------------------
# The pipeline, one step per function.


def load_vocabularies(con, seeds_dir: Path) -> None:
    """The seeds the features need, as small tables (same files dbt seeds)."""
    for name in (
        "seniority_levels",
        "company_sizes",
        "job_function_groups",
        "industry_groups",
        "country_regions",
        "lead_sources",
        "free_email_domains",
    ):
        con.execute(
            f"create or replace temp table {name} as select * from read_csv("
            f"{sql_str(seeds_dir / (name + '.csv'))}, header = true, all_varchar = true)"
        )


def build_leads(con, raw_dir: Path) -> None:
    """Temp table `leads`: one row per accepted lead, every profile feature already computed."""
    reader = raw_reader(raw_file(raw_dir, "leads"), LEAD_COLUMNS)
    email = f"(case when {text('r.email')} like '%_@_%.%' then lower({text('r.email')}) end)"
    completeness = " + ".join(
        f"case when {c} is not null then 1.0 else 0.0 end" for c in COMPLETENESS_FIELDS
    )
    one_hot = ",\n".join(
        f"cast({group} = {sql_str(value)} as double) as {feature}"
        for group, value, feature in ONE_HOT_FEATURES
    )
    con.execute(f"""
    create or replace temp table leads as
    with r as ({first_by_key(reader, "lead_id")}),
    typed as (
        select
            {text("r.lead_id")} as lead_id,
            {email} as email,
            {text("r.profile_url")} as profile_url,
            {text("r.job_title")} as job_title,
            {text("r.job_function")} as job_function,
            {text("r.industry")} as industry,
            {text("r.company_name")} as company_name,
            size.company_size as company_size,
            {text("r.country")} as country,
            cast(sen.seniority_rank as double) as seniority_rank,
            cast(sen.is_decision_maker as double) as is_decision_maker,
            cast(size.company_size_rank as double) as company_size_rank,
            {count("r.connections", allow_capped_500=True)} as connections,
            {count("r.followers")} as followers,
            {number("r.years_in_role")} as years_in_role,
            {number("r.years_experience")} as years_experience,
            {flag("r.has_photo")} as has_photo,
            {flag("r.is_premium")} as is_premium,
            {flag("r.is_open_profile")} as is_open_profile,
            {flag("r.open_to_work")} as open_to_work,
            {count("r.skills_count")} as skills_count,
            {count("r.recommendations_count")} as recommendations_count,
            {count("r.mutual_connections")} as mutual_connections,
            {count("r.shared_groups")} as shared_groups,
            {code("r.lead_source")} as lead_source,
            {timestamp("r.created_at")} as created_at
        from r
        left join seniority_levels as sen
            on sen.seniority = replace({code("r.seniority")}, ' ', '')
        left join company_sizes as size
            on size.company_size = replace(replace({code("r.company_size")}, ' ', ''), ',', '')
    )
    select
        l.lead_id, l.created_at,
        l.seniority_rank, l.is_decision_maker, l.company_size_rank, l.connections,
        cast(l.connections >= 500 as double) as connections_capped,
        ln(1 + l.followers) as log_followers,
        l.years_in_role, l.years_experience, l.has_photo, l.is_premium, l.is_open_profile,
        l.open_to_work, l.skills_count, l.recommendations_count, l.mutual_connections,
        l.shared_groups,
        cast(({completeness}) / 8.0 as double) as profile_completeness,
        cast(case when l.email is null then null
                  when free.email_domain is not null then 0 else 1 end as double) as has_business_email,
        case when l.years_experience > 0 and l.years_in_role is not null
             then least(l.years_in_role / l.years_experience, 1.0) end as role_tenure_ratio,
        {one_hot}
    from (
        select t.*,
            coalesce(fn.function_group, 'other') as function_group,
            coalesce(ind.industry_group, 'other') as industry_group,
            coalesce(geo.region, 'other') as region,
            coalesce(src.source_group, 'other') as source_group
        from typed as t
        left join job_function_groups as fn on fn.job_function = lower(t.job_function)
        left join industry_groups as ind on ind.industry = lower(t.industry)
        left join country_regions as geo on geo.country = lower(t.country)
        left join lead_sources as src on src.lead_source = t.lead_source
    ) as l
    left join free_email_domains as free
        on free.email_domain = string_split(l.email, '@')[2]
    """)


def build_activities(con, raw_dir: Path) -> None:
    """Temp table `activities`: accepted events (unique id, known lead, parseable time).

    Kept compact, 17 bytes an event (100M events = 1.7 GB): the lead as its row number in
    `leads` (lead_row), the type as an ENUM, the time as a timestamp.
    """
    reader = raw_reader(raw_file(raw_dir, "activities"), ACTIVITY_COLUMNS)
    types = ", ".join(sql_str(t) for t, _ in ACTIVITY_COUNT_FEATURES)
    con.execute(f"create type if not exists activity_type_enum as enum ({types})")
    con.execute(f"""
    create or replace temp table activities as
    select l.rowid as lead_row,
           try_cast({code("a.activity_type")} as activity_type_enum) as activity_type,
           {timestamp("a.occurred_at")} as occurred_at
    from ({first_by_key(reader, "activity_id")}) as a
    join leads as l on l.lead_id = {text("a.lead_id")}
    where {timestamp("a.occurred_at")} is not null
    """)


def scoring_as_of(con, as_of: str | None) -> str:
    """SQL literal of the as-of moment: --as-of, else midnight after the latest activity."""
    if as_of:
        value = con.execute(
            f"select cast({sql_str(as_of.replace('T', ' '))} as timestamp)"
        ).fetchall()[0][0]
    else:
        value = con.execute("""
            select date_trunc('day', coalesce((select max(occurred_at) from activities),
                                              (select max(created_at) from leads)))
                   + interval 1 day""").fetchall()[0][0]
    return f"timestamp '{value}'"


def features_sql(as_of_sql: str, backfill: bool = False) -> str:
    """One row per lead: lead_id, feature_as_of and every feature (named as in the card).
    backfill (an --as-of given): only the leads created before it, or at an unknown time."""
    counts = ",\n".join(
        f"count(*) filter (where activity_type = {sql_str(t)}) as {f}"
        for t, f in ACTIVITY_COUNT_FEATURES
    )
    # Types are a closed vocabulary (unlisted -> NULL, not counted), so "distinct types"
    # is the number of type counts above zero: no costly count(distinct).
    distinct_types = " + ".join(f"(a.{f} > 0)::int" for _, f in ACTIVITY_COUNT_FEATURES)
    behaviour = ",\n".join(
        f"cast(coalesce(a.{f}, 0) as double) as {f}" for _, f in ACTIVITY_COUNT_FEATURES
    )
    return f"""
    with a as (
        select lead_row,
            {counts},
            count(*) filter (where occurred_at >= {as_of_sql} - interval 30 day) as activities_30d,
            count(*) filter (where occurred_at >= {as_of_sql} - interval 90 day) as activities_90d,
            max(occurred_at) as last_activity_at
        from activities
        where occurred_at < {as_of_sql}
        group by lead_row
    )
    select
        l.*,
        l.rowid as lead_row,  -- the lead's row in `leads`: Python carries this, not lead_id
        {as_of_sql} as feature_as_of,
        cast(case when date_diff('day', l.created_at, {as_of_sql}) >= 0
                  then date_diff('day', l.created_at, {as_of_sql}) end as double) as lead_age_days,
        {behaviour},
        cast(coalesce(a.activities_30d, 0) as double) as activities_30d,
        cast(coalesce(a.activities_90d, 0) as double) as activities_90d,
        cast(date_diff('day', a.last_activity_at, {as_of_sql}) as double) as days_since_last_activity,
        cast(coalesce({distinct_types}, 0) as double) as distinct_activity_types,
        case when a.email_opens > 0 then a.email_clicks / a.email_opens end as email_click_rate
    from leads as l
    left join a on a.lead_row = l.rowid
    {f"where l.created_at is null or l.created_at < {as_of_sql}" if backfill else ""}
    """


def score_features(con, sql: str, model_dir) -> tuple[pa.Table, float]:
    """Stream the feature rows through the model; returns (lead_row, raw_score,
    engagement_score, priority) and the seconds spent in XGBoost.

    Only row numbers and scores stay in Python: keeping a batch's lead_id column would keep
    the whole Arrow batch (all 47 features) alive, 4 GB at 10M leads.
    """
    names = model_feature_names(model_dir)
    reader = con.sql(f"select lead_row, {', '.join(names)} from ({sql})").to_arrow_reader(
        BATCH_ROWS
    )
    parts, model_s = [], 0.0
    for batch in reader:
        if batch.num_rows == 0:
            continue
        # DOUBLE columns convert to numpy cheaply; a DECIMAL would go through Python objects.
        slow = [n for n in names if batch.schema.field(n).type != pa.float64()]
        if slow:
            raise TypeError(
                f"features must be DOUBLE, got {[(n, batch.schema.field(n).type) for n in slow]}"
            )
        x = np.empty((batch.num_rows, len(names)), dtype=np.float32)
        for j, name in enumerate(names):
            x[:, j] = batch.column(name).to_numpy(zero_copy_only=False)  # NULL -> NaN
        t = time.perf_counter()
        raw, score = apply_model(model_dir, x)
        model_s += time.perf_counter() - t
        parts.append(
            pa.table(
                {
                    "lead_row": batch.column("lead_row").to_numpy().copy(),
                    "raw_score": raw,
                    "engagement_score": score,
                    "priority": tier_of(model_dir, score),
                }
            )
        )
    return pa.concat_tables(parts), model_s


def write_ranked(con, scored: pa.Table, as_of_sql: str, out: Path) -> None:
    """Rank, percentile and write Parquet (same window definitions as the product)."""
    con.register("scored", scored)
    con.execute(f"""
    copy (
        select l.lead_id, s.engagement_score, s.raw_score,
               row_number() over (order by s.engagement_score desc, l.lead_id asc) as score_rank,
               round(100.0 * cume_dist() over (order by s.engagement_score asc), 4) as score_percentile,
               s.priority, {as_of_sql} as feature_as_of
        from scored as s
        join leads as l on l.rowid = s.lead_row
    ) to {sql_str(out)} (format parquet)""")
    con.unregister("scored")


def run(
    raw_dir: Path,
    out: Path,
    model_dir,
    as_of: str | None = None,
    limits: dict | None = None,
    seeds_dir: Path = SEEDS_DIR,
) -> dict:
    """The whole limit pipeline; returns stage seconds and row counts."""
    timings = {}
    t = time.perf_counter()
    con = connect_duckdb(**(limits or duckdb_limits(default_temp_dir=str(out) + ".tmp")))
    load_vocabularies(con, seeds_dir)
    build_leads(con, raw_dir)
    timings["read_leads_s"] = time.perf_counter() - t
    t = time.perf_counter()
    build_activities(con, raw_dir)
    timings["read_activities_s"] = time.perf_counter() - t
    t = time.perf_counter()
    as_of_sql = scoring_as_of(con, as_of)
    scored, model_s = score_features(con, features_sql(as_of_sql, backfill=bool(as_of)), model_dir)
    timings["features_and_score_s"] = time.perf_counter() - t
    timings["of_which_xgboost_s"] = model_s
    t = time.perf_counter()
    write_ranked(con, scored, as_of_sql, out)
    timings["rank_and_write_s"] = time.perf_counter() - t
    timings["leads"] = scored.num_rows
    timings["activities"] = con.execute("select count(*) from activities").fetchall()[0][0]
    con.close()
    return timings


def check_against(db_path: Path, out: Path) -> dict:
    """Compare the written scores with the product's lead_scores in a build or published DB."""
    con = connect_duckdb()
    con.execute(f"attach {sql_str(db_path)} as product (read_only)")
    result = compare_scores(
        con, "product.lead_scores", f"read_parquet({sql_str(out)})", "limit_script"
    )
    con.close()
    return result


def check_features(
    db_path: Path, raw_dir: Path, model_dir, as_of: str | None = None, seeds_dir: Path = SEEDS_DIR
) -> dict:
    """Recompute the limit's features (untimed) and compare them with the product's
    lead_features in a build database: which features differ, for how many leads."""
    con = connect_duckdb(**duckdb_limits(default_temp_dir=str(db_path) + ".check.tmp"))
    load_vocabularies(con, seeds_dir)
    build_leads(con, raw_dir)
    build_activities(con, raw_dir)
    con.execute(
        f"create temp table limit_features as {features_sql(scoring_as_of(con, as_of), backfill=bool(as_of))}"
    )
    con.execute(f"attach {sql_str(db_path)} as product (read_only)")
    names = model_feature_names(model_dir)
    result = compare_features(con, "product.lead_features", "limit_features", names)
    result["product_rows"] = con.execute("select count(*) from product.lead_features").fetchall()[
        0
    ][0]
    con.close()
    return result


def _has_table(db_path: Path, table: str) -> bool:
    con = connect_duckdb()
    con.execute(f"attach {sql_str(db_path)} as product (read_only)")
    found = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'product' "
        f"and table_name = {sql_str(table)}"
    ).fetchall()[0][0]
    con.close()
    return found > 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True, help="raw folder (leads, activities, ...)")
    ap.add_argument("--out", type=Path, required=True, help="scored leads, Parquet")
    ap.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--as-of", default=None, help="as the product's var as_of (default: derived)")
    ap.add_argument(
        "--check-against",
        type=Path,
        default=None,
        help="a build or published DuckDB file holding the product's lead_scores",
    )
    ap.add_argument("--memory-limit", default=None, help="DuckDB memory_limit (default: profile's)")
    ap.add_argument("--threads", default=None, help="DuckDB threads (default: profile's)")
    ap.add_argument("--temp-dir", default=None, help="DuckDB spill folder (default: <out>.tmp)")
    args = ap.parse_args(argv)
    limits = duckdb_limits(
        args.memory_limit, args.threads, args.temp_dir, default_temp_dir=str(args.out) + ".tmp"
    )
    t0 = time.perf_counter()
    stats = run(args.raw, args.out, args.model_dir, args.as_of, limits)
    total = time.perf_counter() - t0
    stages = ", ".join(f"{k[:-2]} {v:.1f}s" for k, v in stats.items() if k.endswith("_s"))
    print(
        f"limit_script: {stats['leads']:,} leads, {stats['activities']:,} accepted activities "
        f"scored in {total:.1f}s ({stages}); DuckDB memory_limit {limits['memory_limit']}, "
        f"threads {limits['threads']} -> {args.out}"
    )
    if args.check_against:
        result = check_against(args.check_against, args.out)
        print(format_check(result))
        if not result["exact"] and _has_table(args.check_against, "lead_features"):
            feats = check_features(args.check_against, args.raw, args.model_dir, args.as_of)
            print(
                f"features vs product lead_features ({feats['matched']:,} of "
                f"{feats['product_rows']:,} leads matched): differing leads per feature "
                f"{feats['differing'] or 'none'}"
            )
        return 0 if result["exact"] else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
