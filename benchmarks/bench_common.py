"""Helpers shared by the scale benchmarks (limit_script.py, pandas_peer.py, scale_bench.py).

Nothing here is product code: the product is measured as a black box through its CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

from leadscore.synthetic import generate

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL_DIR = REPO_ROOT / "ml" / "artifacts" / "linkedin_sample"
SEEDS_DIR = REPO_ROOT / "seeds"

# The same environment variables and defaults as profiles/profiles.yml, so a "capped" limit
# script runs under exactly the budget the product's DuckDB gets.
DUCKDB_MEMORY_LIMIT_DEFAULT = "5GB"
DUCKDB_THREADS_DEFAULT = "2"

# Activity types in the product's feature order (macros/features/activity_count_features.sql):
# (activity_type, feature name).
ACTIVITY_COUNT_FEATURES = [
    ("profile_view", "profile_views"),
    ("post_like", "post_likes"),
    ("post_comment", "post_comments"),
    ("post_share", "post_shares"),
    ("connection_accepted", "connection_accepted"),
    ("message_reply", "message_replies"),
    ("inmail_open", "inmail_opens"),
    ("website_visit", "website_visits"),
    ("content_download", "content_downloads"),
    ("event_registration", "event_registrations"),
    ("email_open", "email_opens"),
    ("email_click", "email_clicks"),
]

# One-hot categorical features: (group column, value, feature name), as in
# models/intermediate/int_lead_feature_values.sql.
ONE_HOT_FEATURES = [
    ("function_group", "sales", "function_sales"),
    ("function_group", "marketing", "function_marketing"),
    ("function_group", "business_development", "function_business_development"),
    ("function_group", "engineering_it", "function_engineering_it"),
    ("industry_group", "software_it", "industry_software_it"),
    ("industry_group", "marketing_advertising", "industry_marketing_advertising"),
    ("region", "north_america", "region_north_america"),
    ("region", "europe", "region_europe"),
    ("source_group", "inbound", "source_inbound"),
    ("source_group", "event", "source_event"),
]

# Fields the profile-completeness feature counts (non-NULL after staging).
COMPLETENESS_FIELDS = [
    "email",
    "profile_url",
    "job_title",
    "job_function",
    "industry",
    "company_name",
    "company_size",
    "country",
]

LEAD_COLUMNS = generate.LEAD_COLUMNS  # the raw contract, as the generator writes it
ACTIVITY_COLUMNS = generate.ACTIVITY_COLUMNS

TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")


def duckdb_limits(
    memory_limit: str | None = None,
    threads: str | None = None,
    temp_dir: str | os.PathLike | None = None,
    default_temp_dir=None,
) -> dict:
    """DuckDB settings for a benchmark connection: arguments, else the product's env vars/defaults."""
    return {
        "memory_limit": memory_limit
        or os.environ.get("LEADSCORE_DUCKDB_MEMORY_LIMIT", DUCKDB_MEMORY_LIMIT_DEFAULT),
        "threads": str(
            threads or os.environ.get("LEADSCORE_DUCKDB_THREADS", DUCKDB_THREADS_DEFAULT)
        ),
        "temp_directory": str(
            temp_dir or os.environ.get("LEADSCORE_DUCKDB_TEMP_DIR") or default_temp_dir or ".tmp"
        ),
    }


def connect_duckdb(database: str = ":memory:", **limits):
    """A DuckDB connection with the given settings applied (memory_limit, threads, temp_directory)."""
    import duckdb

    con = duckdb.connect(database)
    con.execute("SET enable_progress_bar = false")
    for key, value in limits.items():
        con.execute(f"SET {key} = '{str(value).replace(chr(39), chr(39) * 2)}'")
    return con


def raw_file(folder, name: str) -> Path | None:
    """The raw-contract file <name>.parquet or <name>.csv in folder (Parquet wins), or None."""
    for ext in ("parquet", "csv"):
        path = Path(folder) / f"{name}.{ext}"
        if path.exists():
            return path
    return None


def sql_str(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def compare_scores(con, product_scores: str, candidate_scores: str, label: str) -> dict:
    """Compare a candidate scored table with the product's lead_scores, both given as SQL relations.

    Each relation has lead_id, engagement_score, score_rank, score_percentile, priority.
    Returns (and the caller prints) row counts, max |score diff| and mismatch counts.
    """
    row = con.execute(f"""
        with p as (select lead_id, engagement_score, score_rank, score_percentile, priority
                   from {product_scores}),
             c as (select lead_id, engagement_score, score_rank, score_percentile, priority
                   from {candidate_scores})
        select
            (select count(*) from p) as product_rows,
            (select count(*) from c) as candidate_rows,
            count(p.lead_id) filter (where c.lead_id is not null) as matched,
            max(abs(p.engagement_score - c.engagement_score)) as max_abs_diff,
            count(*) filter (where p.score_rank is distinct from c.score_rank) as rank_mismatches,
            count(*) filter (where p.priority is distinct from c.priority) as tier_mismatches,
            count(*) filter (where p.score_percentile is distinct from c.score_percentile)
                as percentile_mismatches,
            max(abs(p.score_rank - c.score_rank)) as max_rank_shift
        from p full outer join c using (lead_id)
    """).fetchall()[0]
    keys = [
        "product_rows",
        "candidate_rows",
        "matched",
        "max_abs_diff",
        "rank_mismatches",
        "tier_mismatches",
        "percentile_mismatches",
        "max_rank_shift",
    ]
    result = dict(zip(keys, row, strict=True))
    result["label"] = label
    result["exact"] = (
        result["product_rows"] == result["candidate_rows"] == result["matched"]
        and (result["max_abs_diff"] or 0.0) <= 1e-9
        and result["rank_mismatches"] == 0
        and result["tier_mismatches"] == 0
        and result["percentile_mismatches"] == 0
    )
    return result


def format_check(result: dict) -> str:
    verdict = "IDENTICAL" if result["exact"] else "DIFFERS"
    diff = result["max_abs_diff"]
    return (
        f"check {result['label']} vs product lead_scores: {verdict} — rows "
        f"{result['candidate_rows']:,} vs {result['product_rows']:,} (matched "
        f"{result['matched']:,}); max |engagement_score diff| "
        f"{diff if diff is None else f'{diff:.3e}'}; rank mismatches "
        f"{result['rank_mismatches']:,} (max shift {result['max_rank_shift']}); tier "
        f"mismatches {result['tier_mismatches']:,}; percentile mismatches "
        f"{result['percentile_mismatches']:,}"
    )


def compare_features(con, product_features: str, candidate_features: str, names) -> dict:
    """Per feature, how many leads differ (NULL = NULL; |diff| > 1e-12) between two feature sets.

    names: the numeric feature columns; feature_as_of is compared too (exactly)."""
    diffs = ", ".join(
        f"count(*) filter (where not (p.{n} is not distinct from c.{n} "
        f"or abs(p.{n} - c.{n}) <= 1e-12)) as {n}"
        for n in names
    )
    row = con.execute(f"""
        select count(*) as matched,
               count(*) filter (where p.feature_as_of is distinct from c.feature_as_of) as feature_as_of,
               {diffs}
        from {product_features} as p join {candidate_features} as c using (lead_id)""").fetchall()[
        0
    ]
    columns = ["feature_as_of", *names]
    return {
        "matched": row[0],
        "differing": {n: v for n, v in zip(columns, row[1:], strict=True) if v},
    }
