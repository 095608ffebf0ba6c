"""`leadscore simulate-campaign`: contact a list from the warehouse and append the outcomes.

Reads the leads to contact from a warehouse table (default rollout_phase1_validation, any
table with a lead_id column), draws each lead's reply from the hidden response model
(leadscore.synthetic.hidden_model, using only activities strictly before --contacted-at) and APPENDS
the contacts to <raw-dir>/outreach.csv, plus a message_reply activity (and sometimes a
profile view) after contact for responders to <raw-dir>/activities.csv.

It modifies the raw folder in place: work on a copy of data/sample, e.g.
    cp -r data/sample /tmp/raw && leadscore simulate-campaign --raw-dir /tmp/raw \
        --campaign-id phase1-validation

--seed is the seed the raw data was generated with (default 42, the bundled sample's): it
fixes each lead's hidden latent; the reply draws are seeded by (seed, campaign id), so the
same command on the same files gives the same outcome.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from leadscore.errors import UserError
from leadscore.settings import DEFAULT_SAMPLE_DIR, SEED, warehouse_path
from leadscore.synthetic import hidden_model
from leadscore.synthetic.generate import CHANNELS, DAY, _vocab

RANK_COLUMNS = ("score_rank", "list_rank", "selection_rank", "rank")
TS_FORMAT = "%Y-%m-%dT%H:%M:%S"  # as the raw files write timestamps


def add_arguments(parser):
    parser.add_argument(
        "--db",
        default=None,
        help="warehouse DuckDB file holding the list (default: the build database)",
    )
    parser.add_argument(
        "--table",
        default="rollout_phase1_validation",
        help="table (optionally schema.table) with a lead_id column",
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="contact only the first N of the list"
    )
    parser.add_argument(
        "--raw-dir",
        default=str(DEFAULT_SAMPLE_DIR),
        help="raw CSV folder to append to (modified in place: use a copy)",
    )
    parser.add_argument("--campaign-id", required=True, help="new campaign id (must not exist yet)")
    parser.add_argument(
        "--contacted-at",
        default=None,
        help="contact time, ISO-8601 (default: 09:00 the day after the latest "
        "timestamp in the raw files)",
    )
    parser.add_argument(
        "--random-arm",
        type=int,
        default=0,
        help="also contact N random eligible never-contacted leads (group 'random')",
    )
    parser.add_argument(
        "--pending-share",
        type=float,
        default=0.0,
        help="share of contacts left pending (empty responded), default 0",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help="seed the raw data was generated with (default 42 = bundled sample)",
    )


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _raw_file(raw_dir: Path, name: str, required=True):
    csv_path, pq_path = raw_dir / f"{name}.csv", raw_dir / f"{name}.parquet"
    if pq_path.exists():
        raise UserError(
            f"{pq_path}: simulate-campaign appends to CSV raw folders only; "
            "generate the data with --format csv"
        )
    if csv_path.exists():
        return csv_path
    if required:
        raise UserError(f"{csv_path} not found (is --raw-dir a raw-data folder?)")
    return None


def _read_csv(con, path: Path) -> str:
    return f"read_csv({_q(path)}, all_varchar=true, header=true)"


def read_list(db: Path, table: str, limit: int | None) -> tuple[list[str], str | None]:
    """Lead ids of the list (ordered by its rank column when it has one) and its campaign_id."""
    if not db.exists():
        raise UserError(f"warehouse database {db} not found (run `leadscore build` or pass --db)")
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise UserError(f"cannot open {db}: {exc}") from exc
    with con:
        schema, _, name = table.rpartition(".")
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where lower(table_name) = lower(?) and (? = '' or lower(table_schema) = lower(?)) "
            "order by table_schema",
            [name, schema, schema],
        ).fetchall()
        if not rows:
            raise UserError(f"table {table} not found in {db} (build it first, or pass --table)")
        if len(rows) > 1:
            raise UserError(
                f"table {table} exists in several schemas "
                f"({', '.join(r[0] for r in rows)}); pass --table schema.table"
            )
        ident = f'"{rows[0][0]}"."{rows[0][1]}"'
        cols = [r[0].lower() for r in con.execute(f"describe {ident}").fetchall()]
        if "lead_id" not in cols:
            raise UserError(f"table {table} has no lead_id column")
        rank = next((c for c in RANK_COLUMNS if c in cols), None)
        rank_expr = f'min("{rank}")' if rank else "null"
        lead_ids = [
            r[0]
            for r in con.execute(
                f"select lead_id, {rank_expr} as r from {ident} where lead_id is not null "
                f"group by lead_id order by r, lead_id"
            ).fetchall()
        ]
        campaign = None
        if "campaign_id" in cols:
            found = con.execute(f"select distinct campaign_id from {ident}").fetchall()
            campaign = found[0][0] if len(found) == 1 else None
    if limit is not None:
        if limit < 0:
            raise UserError("--limit must be >= 0")
        lead_ids = lead_ids[:limit]
    return [str(x) for x in lead_ids], campaign


def _next_number(con, source: str, column: str, prefix: str) -> tuple[int, int]:
    """Next free number for ids like <prefix><digits> in source.column, and the digit width."""
    num = f"regexp_extract({column}, '^{prefix}([0-9]+)$', 1)"
    top, width = con.execute(
        f"select max(try_cast({num} as bigint)), max(length({num})) from {source}"
    ).fetchone()
    if top is None:
        return 1, 8
    return int(top) + 1, int(width)


def _append_rows(path: Path, rows: list[dict]):
    with open(path, "rb") as fh:
        header = next(csv.reader([fh.readline().decode("utf-8-sig")]))
        fh.seek(0, 2)
        needs_newline = False
        if fh.tell() > 0:
            fh.seek(-1, 2)
            needs_newline = fh.read(1) not in (b"\n", b"\r")
    with open(path, "a", newline="", encoding="utf-8") as fh:
        if needs_newline:
            fh.write("\n")
        w = csv.writer(fh, lineterminator="\n")
        for row in rows:
            w.writerow(["" if row.get(c) is None else row.get(c) for c in header])


@dataclass
class RawFiles:
    """The raw CSV files simulate-campaign reads (and appends to: activities, outreach)."""

    leads: Path
    activities: Path
    outreach: Path
    do_not_contact: Path | None


def simulate(
    raw_dir,
    campaign_id: str,
    lead_ids: list[str],
    *,
    contacted_at=None,
    random_arm: int = 0,
    pending_share: float = 0.0,
    seed: int = SEED,
) -> dict:
    """Contact lead_ids (plus random_arm random never-contacted leads) as campaign_id at
    contacted_at, draw the outcomes, append them to raw_dir; returns a summary."""
    files = _check_arguments(raw_dir, campaign_id, pending_share, random_arm)
    con = duckdb.connect()
    _check_new_campaign(con, files, campaign_id, lead_ids)
    when = _contact_time(con, files, contacted_at)
    # Reply draws are seeded by (seed, campaign id): the same command on the same files gives
    # the same outcome. The draws below come in a fixed order; keep it (reproducibility).
    rng = np.random.default_rng(
        [seed, int.from_bytes(hashlib.sha256(campaign_id.encode()).digest()[:8], "little")]
    )
    _check_listed(con, files, lead_ids)
    random_ids = _draw_random_arm(con, rng, files, random_arm)
    targets = list(lead_ids) + random_ids
    groups = ["model" if random_arm else None] * len(lead_ids) + ["random"] * len(random_ids)
    if not targets:
        raise UserError("nothing to contact: the list is empty")
    leads, acts = _read_targets(con, files, targets)
    p = hidden_model.response_probability(leads, acts, when, seed)
    outcomes = _draw_outcomes(rng, p, pending_share, leads, when)
    out_rows, act_rows = _new_rows(con, files, campaign_id, targets, groups, when, outcomes)
    # activities first: the outreach rows are what marks the campaign as done
    _append_rows(files.activities, act_rows)
    _append_rows(files.outreach, out_rows)
    return {
        "contacted": len(targets),
        "model_arm": len(lead_ids),
        "random_arm": len(random_ids),
        "responded": int(sum(r["responded"] == "true" for r in out_rows)),
        "pending": int(sum(r["responded"] is None for r in out_rows)),
        "activities_added": len(act_rows),
        "contacted_at": when.strftime(TS_FORMAT),
        "expected_responses": float(p.sum()),
    }


def _check_arguments(raw_dir, campaign_id: str, pending_share: float, random_arm: int) -> RawFiles:
    """Clear errors for bad arguments before anything is read; the raw files to use."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise UserError(f"--raw-dir {raw_dir} is not a folder")
    if not campaign_id or not campaign_id.strip():
        raise UserError("--campaign-id must not be empty")
    if not 0.0 <= pending_share <= 1.0:
        raise UserError("--pending-share must be between 0 and 1")
    if random_arm < 0:
        raise UserError("--random-arm must be >= 0")
    return RawFiles(
        leads=_raw_file(raw_dir, "leads"),
        activities=_raw_file(raw_dir, "activities"),
        outreach=_raw_file(raw_dir, "outreach"),
        do_not_contact=_raw_file(raw_dir, "do_not_contact", required=False),
    )


def _check_new_campaign(con, files: RawFiles, campaign_id: str, lead_ids: list[str]):
    """The campaign must be new (appending twice would double its outcomes); no repeated leads."""
    exists = con.execute(
        f"select count(*) from {_read_csv(con, files.outreach)} where trim(campaign_id) = ?",
        [campaign_id.strip()],
    ).fetchone()[0]
    if exists:
        raise UserError(
            f"campaign {campaign_id} already exists in {files.outreach}; "
            "use a new --campaign-id (or a fresh copy of the raw folder)"
        )
    if len(set(lead_ids)) != len(lead_ids):
        raise UserError("the list holds repeated lead_ids")


def _contact_time(con, files: RawFiles, contacted_at) -> pd.Timestamp:
    """--contacted-at as naive UTC (whole seconds); default 09:00 the day after the latest
    timestamp in the raw files, so the new contacts come after everything already there."""
    latest = con.execute(
        f"select max(t) from (select max(try_cast(occurred_at as timestamp)) t "
        f"from {_read_csv(con, files.activities)} "
        f"union all select max(try_cast(created_at as timestamp)) from {_read_csv(con, files.leads)} "
        f"union all select max(try_cast(contacted_at as timestamp)) from {_read_csv(con, files.outreach)} "
        f"union all select max(try_cast(responded_at as timestamp)) from {_read_csv(con, files.outreach)})"
    ).fetchone()[0]
    if contacted_at is None:
        if latest is None:
            raise UserError("no timestamps in the raw files; pass --contacted-at")
        when = pd.Timestamp(latest).normalize() + pd.Timedelta(days=1, hours=9)
    else:
        try:
            when = pd.Timestamp(contacted_at)
        except ValueError as exc:
            raise UserError(f"--contacted-at is not a timestamp: {contacted_at}") from exc
        if when.tzinfo is not None:
            when = when.tz_convert("UTC").tz_localize(None)
    return when.floor("s")


def _check_listed(con, files: RawFiles, lead_ids: list[str]):
    """Every listed lead must be in the leads file (else the list is from another warehouse);
    leaves them in the temp table `listed`."""
    con.execute("create temp table listed(lead_id varchar)")
    con.executemany("insert into listed values (?)", [[x] for x in lead_ids])
    missing = [
        r[0]
        for r in con.execute(
            f"select lead_id from listed anti join {_read_csv(con, files.leads)} l using (lead_id) "
            "order by lead_id"
        ).fetchall()
    ]
    if missing:
        raise UserError(
            f"{len(missing)} lead(s) of the list are not in {files.leads} "
            f"(e.g. {', '.join(missing[:3])}); was the warehouse built from this raw folder?"
        )


def _draw_random_arm(con, rng, files: RawFiles, random_arm: int) -> list[str]:
    """random_arm eligible leads: never contacted, not listed, not on the do-not-contact list."""
    if not random_arm:
        return []
    pool = np.array(
        [
            r[0]
            for r in con.execute(
                f"select distinct l.lead_id from {_read_csv(con, files.leads)} l "
                f"where l.lead_id is not null "
                f"and l.lead_id not in (select lead_id from {_read_csv(con, files.outreach)} "
                f"where lead_id is not null) "
                f"and l.lead_id not in (select lead_id from listed){_not_suppressed(con, files)} "
                f"order by l.lead_id"
            ).fetchall()
        ],
        dtype=object,
    )
    if random_arm > len(pool):
        raise UserError(
            f"--random-arm {random_arm}: only {len(pool)} eligible never-contacted leads"
        )
    return list(pool[np.sort(rng.choice(len(pool), size=random_arm, replace=False))])


def _not_suppressed(con, files: RawFiles) -> str:
    """SQL condition on leads `l`: not on the do-not-contact list (by lead_id and/or e-mail)."""
    if files.do_not_contact is None:
        return ""
    dnc = _read_csv(con, files.do_not_contact)
    cols = {r[0].lower() for r in con.execute(f"describe select * from {dnc}").fetchall()}
    condition = ""
    if "lead_id" in cols:
        condition += (
            f" and l.lead_id not in (select trim(lead_id) from {dnc} where lead_id is not null)"
        )
    if "email" in cols:
        condition += (
            f" and coalesce(lower(trim(l.email)), '') not in (select lower(trim(email)) "
            f"from {dnc} where email is not null)"
        )
    return condition


def _read_targets(con, files: RawFiles, targets: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The targets' raw lead rows (in target order) and all their activities, as text."""
    con.execute("create temp table targets(lead_id varchar)")
    con.executemany("insert into targets values (?)", [[x] for x in targets])
    leads = con.execute(
        f"select l.* from {_read_csv(con, files.leads)} l join targets using (lead_id)"
    ).df()
    leads = leads.drop_duplicates("lead_id").set_index("lead_id").loc[targets].reset_index()
    acts = con.execute(
        f"select a.* from {_read_csv(con, files.activities)} a join targets using (lead_id)"
    ).df()
    return leads, acts


def _draw_outcomes(
    rng, p: np.ndarray, pending_share: float, leads: pd.DataFrame, when: pd.Timestamp
) -> dict:
    """Per target: replied (from the hidden model's p), still pending, reply time, channel
    (no e-mail without an address), and whether/when a profile view precedes the reply."""
    n = len(p)
    responded = rng.random(n) < p
    pending = rng.random(n) < pending_share
    delay = np.minimum(rng.lognormal(np.log(30 * 3600), 1.0, n).astype(np.int64), 9 * DAY) + 600
    keys, probs = _vocab(CHANNELS)
    channel = keys[rng.choice(len(keys), size=n, p=probs)]
    has_mail = (
        leads["email"].astype("string").str.contains("@", regex=False).fillna(False).to_numpy(bool)
    )
    return {
        "replied": responded & ~pending,
        "pending": pending,
        "responded_at": [when + pd.Timedelta(seconds=int(d)) for d in delay],
        "channel": np.where((channel == "email") & ~has_mail, "linkedin_message", channel),
        "view": rng.random(n) < 0.6,
        "view_frac": rng.random(n),
    }


def _new_rows(
    con,
    files: RawFiles,
    campaign_id: str,
    targets: list[str],
    groups: list,
    when: pd.Timestamp,
    outcomes: dict,
) -> tuple[list[dict], list[dict]]:
    """Outreach rows (one per target) and activity rows (reply, maybe a profile view before
    it) with ids continuing the files' own numbering."""
    next_contact, cw = _next_number(con, _read_csv(con, files.outreach), "contact_id", "O")
    next_act, aw = _next_number(con, _read_csv(con, files.activities), "activity_id", "A")
    out_rows, events = [], []
    for i, lead in enumerate(targets):
        replied = bool(outcomes["replied"][i])
        responded_at = outcomes["responded_at"][i]
        out_rows.append(
            {
                "contact_id": f"O{next_contact + i:0{cw}d}",
                "lead_id": lead,
                "campaign_id": campaign_id,
                "channel": outcomes["channel"][i],
                "experiment_group": groups[i],
                "contacted_at": when.strftime(TS_FORMAT),
                "responded": None if outcomes["pending"][i] else ("true" if replied else "false"),
                "responded_at": responded_at.strftime(TS_FORMAT) if replied else None,
            }
        )
        if replied:
            if outcomes["view"][i]:
                t = when + (responded_at - when) * outcomes["view_frac"][i]
                events.append((lead, "profile_view", t.floor("s")))
            events.append((lead, "message_reply", responded_at))
    act_rows = [
        {
            "activity_id": f"A{next_act + j:0{aw}d}",
            "lead_id": lead,
            "activity_type": typ,
            "occurred_at": t.strftime(TS_FORMAT),
        }
        for j, (lead, typ, t) in enumerate(events)
    ]
    return out_rows, act_rows


def run(args) -> int:
    db = Path(args.db) if args.db else warehouse_path()
    lead_ids, table_campaign = read_list(db, args.table, args.limit)
    if table_campaign and table_campaign != args.campaign_id:
        print(
            f"simulate-campaign: note: {args.table} was built for campaign {table_campaign!r}, "
            f"logging the contacts under {args.campaign_id!r}",
            file=sys.stderr,
        )
    res = simulate(
        args.raw_dir,
        args.campaign_id,
        lead_ids,
        contacted_at=args.contacted_at,
        random_arm=args.random_arm,
        pending_share=args.pending_share,
        seed=args.seed,
    )
    print(
        f"simulate-campaign: {args.campaign_id}: contacted {res['contacted']} leads "
        f"({res['model_arm']} from {args.table}, {res['random_arm']} random) at "
        f"{res['contacted_at']}; {res['responded']} responded, {res['pending']} pending "
        f"(hidden model expected {res['expected_responses']:.1f}); appended to {args.raw_dir}"
    )
    return 0
