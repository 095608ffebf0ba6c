"""`leadscore generate`: a synthetic LinkedIn lead sample in the raw-data contract.

Writes leads, activities and outreach (.csv or .parquet, every column as text) to --out.
Everything is a pure function of --seed (and the sizes / end date): chunk c of CHUNK_SIZE
leads uses numpy's default_rng([seed, c]), so output is byte-identical for the same
arguments and memory stays bounded for any --leads (303..10,000,000).

Realism: LinkedIn-like profile distributions (connections capped as "500+", heavy-tailed
followers, skewed activity counts, missing optional fields, occasional messy casing and a
tiny rate of invalid values for the data-quality checks), a year of timestamps ending at
--end-date, monthly campaigns (C2026-03 ...) for the --contacted leads whose replies are
drawn from the hidden response model (leadscore.synthetic.hidden_model), and post-contact activities
for responders (so leaking post-contact activities into features inflates CV visibly).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from leadscore.errors import UserError
from leadscore.settings import SEED
from leadscore.synthetic import hidden_model

CHUNK_SIZE = 50_000
MIN_LEADS, MAX_LEADS = 303, 10_000_000
# Per-lead counts are capped at 250 events, so a mean far above ~50 would be distorted.
MAX_EVENTS_PER_LEAD = 50
DAY = 86_400

LEAD_COLUMNS = [
    "lead_id",
    "full_name",
    "email",
    "profile_url",
    "job_title",
    "seniority",
    "job_function",
    "industry",
    "company_name",
    "company_size",
    "country",
    "connections",
    "followers",
    "years_in_role",
    "years_experience",
    "has_photo",
    "is_premium",
    "is_open_profile",
    "open_to_work",
    "skills_count",
    "recommendations_count",
    "mutual_connections",
    "shared_groups",
    "lead_source",
    "created_at",
]
ACTIVITY_COLUMNS = ["activity_id", "lead_id", "activity_type", "occurred_at"]
OUTREACH_COLUMNS = [
    "contact_id",
    "lead_id",
    "campaign_id",
    "channel",
    "experiment_group",
    "contacted_at",
    "responded",
    "responded_at",
]

SENIORITY = {
    "entry": 0.19,
    "senior": 0.25,
    "manager": 0.18,
    "director": 0.10,
    "vp": 0.05,
    "cxo": 0.04,
    "owner": 0.08,
    "partner": 0.03,
    "training": 0.045,
    "unpaid": 0.035,
}
FUNCTIONS = {
    "Sales": 0.16,
    "Marketing": 0.12,
    "Business Development": 0.09,
    "Engineering": 0.11,
    "Information Technology": 0.10,
    "Operations": 0.09,
    "Finance": 0.07,
    "Human Resources": 0.06,
    "Product Management": 0.05,
    "Consulting": 0.05,
    "Education": 0.04,
    "Entrepreneurship": 0.03,
    "Program and Project Management": 0.03,
}
INDUSTRIES = {
    "Software Development": 0.16,
    "IT Services and IT Consulting": 0.12,
    "Advertising Services": 0.05,
    "Marketing Services": 0.05,
    "Financial Services": 0.09,
    "Staffing and Recruiting": 0.06,
    "Manufacturing": 0.09,
    "Hospitals and Health Care": 0.08,
    "Retail": 0.07,
    "Higher Education": 0.05,
    "Business Consulting and Services": 0.08,
    "Telecommunications": 0.03,
    "Real Estate": 0.04,
    "Construction": 0.03,
}
COMPANY_SIZES = {
    "1-10": 0.14,
    "11-50": 0.18,
    "51-200": 0.20,
    "201-500": 0.13,
    "501-1000": 0.09,
    "1001-5000": 0.11,
    "5001-10000": 0.05,
    "10001+": 0.10,
}
COUNTRIES = {
    "United States": 0.38,
    "United Kingdom": 0.09,
    "Germany": 0.06,
    "India": 0.10,
    "Canada": 0.05,
    "France": 0.05,
    "Netherlands": 0.03,
    "Australia": 0.04,
    "Brazil": 0.04,
    "Spain": 0.03,
    "Italy": 0.02,
    "Sweden": 0.02,
    "Singapore": 0.02,
    "Ireland": 0.02,
    "Mexico": 0.02,
    "Poland": 0.03,
}
SOURCES = {
    "sales_navigator": 0.38,
    "linkedin_ads": 0.20,
    "event": 0.10,
    "inbound": 0.12,
    "referral": 0.07,
    "csv_import": 0.13,
}
ACTIVITY_TYPES = {
    "profile_view": 0.22,
    "post_like": 0.20,
    "post_comment": 0.05,
    "post_share": 0.03,
    "connection_accepted": 0.03,
    "message_reply": 0.04,
    "inmail_open": 0.06,
    "website_visit": 0.11,
    "content_download": 0.03,
    "event_registration": 0.02,
    "email_open": 0.15,
    "email_click": 0.06,
}
CHANNELS = {"inmail": 0.35, "linkedin_message": 0.40, "email": 0.20, "phone": 0.05}
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com"]
# typical years of experience by seniority (gamma mean)
EXPERIENCE = {
    "entry": 2.0,
    "senior": 8.0,
    "manager": 10.0,
    "director": 14.0,
    "vp": 17.0,
    "cxo": 20.0,
    "owner": 13.0,
    "partner": 18.0,
    "training": 0.7,
    "unpaid": 1.2,
}

# Word lists read best as one string; the list literal SIM905 wants is one line a word.
FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
    "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa "
    "Matthew Nancy Anthony Sandra Mark Ashley Priya Rahul Anika Lukas Sophie Emma "
    "Noah Olivia Liam Mia Lucas Amelia Ethan Chloe Arjun Ananya Wei Mei Hiroshi Yuki "
    "Carlos Maria Pedro Ana Javier Lucia Pierre Camille Jan Anna Erik Ingrid Sean "
    "Aoife Fatima Omar Kwame Amara Leon Hannah Felix Clara"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Lopez "
    "Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark "
    "Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Patel "
    "Sharma Gupta Singh Kumar Müller Schmidt Schneider Fischer Weber Meyer Dubois "
    "Laurent Bernard Rossi Russo Silva Santos Oliveira Fernández González Kowalski "
    "Nowak Jansen deVries Andersson Johansson O'Brien Murphy Kelly Chen Wang Li Zhang "
    "Tanaka Sato Kim Park Nguyen Okafor Mensah"
).split()
COMPANY_WORDS = (
    "Acme Apex Blue Bright Cedar Cloud Core Crest Delta Echo Ever Summit Falcon "
    "Fusion Granite Harbor Helix Horizon Iron Lumen Maple Nexus Nova Oak Orbit "
    "Peak Pine Prime Quantum River Silver Spark Stone Terra Titan Vertex Vista "
    "Wave Zenith Northwind Redwood Bluefin Lighthouse Keystone"
).split()
COMPANY_SUFFIX = [
    "Inc",
    "Ltd",
    "GmbH",
    "Group",
    "Labs",
    "Solutions",
    "Partners",
    "Systems",
    "Technologies",
    "Consulting",
    "Health",
    "Capital",
    "Media",
    "Analytics",
]

TITLE_TEMPLATES = {
    "entry": ["{f} Associate", "Junior {f} Specialist", "{f} Coordinator"],
    "senior": ["Senior {f} Specialist", "{f} Lead", "Senior {f} Manager"],
    "manager": ["{f} Manager", "Head of {f} Team", "{f} Team Manager"],
    "director": ["Director of {f}", "{f} Director", "Senior Director, {f}"],
    "vp": ["VP {f}", "Vice President of {f}", "SVP {f}"],
    "cxo": ["Chief {f} Officer", "Chief Executive Officer", "Chief Operating Officer"],
    "owner": ["Owner", "Founder", "Co-Founder & CEO"],
    "partner": ["Partner", "Managing Partner", "{f} Partner"],
    "training": ["{f} Intern", "{f} Trainee", "Graduate {f} Trainee"],
    "unpaid": ["Volunteer", "{f} Volunteer", "Student"],
}
# messy variants of seniority text that staging must normalise
SENIORITY_MESSY = {
    "entry": ["Entry", " entry"],
    "senior": ["Senior", "senior "],
    "manager": [" Manager", "MANAGER"],
    "director": ["Director", " director "],
    "vp": ["VP", "Vp"],
    "cxo": ["CXO", "CxO"],
    "owner": ["Owner", "owner "],
    "partner": ["Partner", " partner"],
    "training": ["Training", "TRAINING"],
    "unpaid": ["Unpaid", " unpaid"],
}


def _vocab(d):
    keys = list(d)
    p = np.array([d[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object), p / p.sum()


def _choice(rng, d, n):
    keys, p = _vocab(d)
    return rng.choice(len(keys), size=n, p=p), keys


def _text(values) -> pa.Array:
    return pa.array(values, type=pa.string())


def _int_text(x: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(x, dtype=np.int64)).cast(pa.string())


def _float_text(x: np.ndarray, decimals=1) -> pa.Array:
    return pa.array(np.round(np.asarray(x, dtype=float), decimals)).cast(pa.string())


def _bool_text(b: np.ndarray) -> pa.Array:
    return pa.array(np.where(b, "true", "false"), type=pa.string())


def _ts_text(seconds: np.ndarray) -> pa.Array:
    arr = pa.array(np.asarray(seconds, dtype=np.int64), type=pa.timestamp("s"))
    return pc.strftime(arr, format="%Y-%m-%dT%H:%M:%S")


def _null_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return arr
    return pc.if_else(pa.array(mask), pa.nulls(len(arr), pa.string()), arr)


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    s = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, s, "")


def _epoch(day: str) -> int:
    return int(pd.Timestamp(day).value // 10**9)


def campaign_months(end_s: int):
    """Campaign months (start second, id) of the year before end: 11 monthly campaigns."""
    end = pd.Timestamp(end_s, unit="s")
    first = (end - pd.Timedelta(days=365)).to_period("M") + 1
    months = pd.period_range(first, end.to_period("M"), freq="M")
    starts = [int(m.start_time.value // 10**9) for m in months]
    return [
        (s, f"C{m.year:04d}-{m.month:02d}")
        for s, m in zip(starts, months, strict=True)
        if s + 25 * DAY <= end_s
    ]


class Writer:
    """One output file written chunk by chunk (CSV or Parquet, all columns text)."""

    def __init__(self, path: Path, columns, fmt: str):
        self.path = path
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.fmt = fmt
        if fmt == "csv":
            self._w = pacsv.CSVWriter(
                str(path), self.schema, write_options=pacsv.WriteOptions(quoting_style="needed")
            )
        else:
            self._w = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.rows = 0

    def write(self, columns: dict):
        table = pa.table([columns[c] for c in self.schema.names], schema=self.schema)
        if table.num_rows:
            self._w.write_table(table)
        self.rows += table.num_rows

    def close(self):
        self._w.close()


# One chunk is drawn in named steps from ONE generator, in a fixed order: every step consumes
# random numbers, so moving a draw (or adding one) between steps changes every byte after it.
# tests/test_generate.py checks the bundled data/sample byte for byte against seed 42.
ACTIVITY_KEYS, ACTIVITY_P = _vocab(ACTIVITY_TYPES)
ACTIVITY_CODE = {t: i for i, t in enumerate(ACTIVITY_KEYS)}


@dataclass
class Profiles:
    """The chunk's lead profiles as parallel arrays (position i = the chunk's i-th lead)."""

    seniority: np.ndarray  # canonical values ("manager"); the messy text is made at the end
    function: np.ndarray
    industry: np.ndarray
    company_size: np.ndarray
    country: np.ndarray
    source: np.ndarray
    full_name: pa.Array
    profile_url: pa.Array
    company: pa.Array
    email: pa.Array  # for every lead; has_email (drawn with the activities) hides 13 %
    title: np.ndarray


@dataclass
class Numbers:
    """Numeric and boolean profile fields, and when each lead was created (epoch seconds)."""

    connections: np.ndarray
    followers: np.ndarray
    years_experience: np.ndarray
    years_in_role: np.ndarray
    has_photo: np.ndarray
    is_premium: np.ndarray
    is_open_profile: np.ndarray
    open_to_work: np.ndarray
    skills: np.ndarray
    recommendations: np.ndarray
    mutual: np.ndarray
    groups: np.ndarray
    created: np.ndarray


@dataclass
class Contacts:
    """The chunk's contacted leads: positions (sorted), campaign index and contact time."""

    lead: np.ndarray
    campaign: np.ndarray
    at: np.ndarray
    campaigns: list  # (start second, id) of every campaign month


@dataclass
class Events:
    """Activity events as parallel arrays: lead position, epoch second, ACTIVITY_KEYS code."""

    lead: np.ndarray
    time: np.ndarray
    type: np.ndarray


def _per_value(values: np.ndarray, mapping: dict, default: float = np.nan) -> np.ndarray:
    """mapping[value] as a float for every element (default for values not in mapping)."""
    return np.fromiter((mapping.get(v, default) for v in values), float, len(values))


def generate_chunk(
    seed: int,
    chunk: int,
    start: int,
    n: int,
    n_contacted: int,
    end_s: int,
    activity_offset: int,
    contact_offset: int,
    bad_rate: float = 0.003,
    events_per_lead: float | None = None,
):
    """Leads [start, start+n) of the dataset; returns (leads, activities, outreach) column dicts.

    events_per_lead: None keeps the natural activity intensity (about 3.3 events per lead);
    a number rescales every lead's intensity so the chunk averages about that many
    (the same skew, more or fewer events; used to build benchmark sets of 100M events).
    """
    rng = np.random.default_rng([seed, chunk])
    lead_id = _ids("L", np.arange(start, start + n) + 1, 8)
    profiles = _draw_profiles(rng, n)
    numbers = _draw_numbers(rng, n, profiles.seniority, end_s)
    contacts = _draw_contacts(rng, n, n_contacted, end_s, numbers.created)
    events, has_email = _draw_activities(
        rng, n, profiles.source, numbers.created, end_s, events_per_lead
    )
    # Most contacted leads accepted a connection request before the contact.
    accepted = _draw_acceptances(rng, contacts, numbers.created)
    all_events = [events, accepted]
    if n_contacted:
        leads_seen, acts_seen = _hidden_model_inputs(
            lead_id, profiles, numbers, has_email, events, accepted, contacts
        )
        p = hidden_model.response_probability(
            leads_seen, acts_seen, contacts.at.astype("datetime64[s]"), seed
        )
        responded, responded_at, post_contact = _draw_replies(rng, p, contacts)
        all_events += post_contact
        outreach = _draw_outreach(
            rng, lead_id, has_email, contacts, responded, responded_at, contact_offset
        )
    else:
        outreach = {c: pa.array([], pa.string()) for c in OUTREACH_COLUMNS}
    activities = _activity_columns(lead_id, all_events, activity_offset)
    leads = _lead_columns(rng, lead_id, profiles, numbers, has_email, bad_rate)
    return leads, activities, outreach


def _draw_profiles(rng, n: int) -> Profiles:
    """Categories from the LinkedIn-like vocabularies, then names, company, e-mail, job title."""
    sen_i, sen_keys = _choice(rng, SENIORITY, n)
    fun_i, fun_keys = _choice(rng, FUNCTIONS, n)
    ind_i, ind_keys = _choice(rng, INDUSTRIES, n)
    size_i, size_keys = _choice(rng, COMPANY_SIZES, n)
    cty_i, cty_keys = _choice(rng, COUNTRIES, n)
    src_i, src_keys = _choice(rng, SOURCES, n)
    full_name, profile_url, company, email = _draw_identity(rng, n)
    return Profiles(
        seniority=sen_keys[sen_i],
        function=fun_keys[fun_i],
        industry=ind_keys[ind_i],
        company_size=size_keys[size_i],
        country=cty_keys[cty_i],
        source=src_keys[src_i],
        full_name=full_name,
        profile_url=profile_url,
        company=company,
        email=email,
        title=_draw_titles(rng, n, sen_i, sen_keys, fun_i, fun_keys),
    )


def _draw_identity(rng, n: int):
    """Full name, profile URL, company name and e-mail (38 % on a free-mail domain)."""
    first = np.array(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    full_name = pc.binary_join_element_wise(_text(first), _text(last), " ")
    slug = pc.utf8_lower(
        pc.binary_join_element_wise(
            _text(first), _text(last), _text(np.char.mod("%06x", rng.integers(0, 16**6, n))), "-"
        )
    )
    profile_url = pc.binary_join_element_wise("https://www.linkedin.com/in/", slug, "")
    words = np.array(COMPANY_WORDS, dtype=object)
    suffixes = np.array(COMPANY_SUFFIX, dtype=object)
    company = pc.binary_join_element_wise(
        _text(words[rng.integers(0, len(words), n)]),
        _text(suffixes[rng.integers(0, len(suffixes), n)]),
        " ",
    )
    # The mail domain is drawn independently of the company name (a holding's domain, say).
    company_domain = pc.utf8_lower(
        pc.replace_substring(
            pc.binary_join_element_wise(
                _text(words[rng.integers(0, len(words), n)]),
                _text(suffixes[rng.integers(0, len(suffixes), n)]),
                "",
            ),
            " ",
            "",
        )
    )
    free = rng.random(n) < 0.38
    domain = pc.if_else(
        pa.array(free),
        _text(np.array(FREE_MAIL, dtype=object)[rng.integers(0, 4, n)]),
        pc.binary_join_element_wise(company_domain, ".com", ""),
    )
    local = pc.utf8_lower(
        pc.replace_substring(
            pc.replace_substring(
                pc.binary_join_element_wise(_text(first), _text(last), "."), "'", ""
            ),
            " ",
            "",
        )
    )
    return full_name, profile_url, company, pc.binary_join_element_wise(local, domain, "@")


def _draw_titles(rng, n: int, sen_i, sen_keys, fun_i, fun_keys) -> np.ndarray:
    """Job titles: one of three templates per seniority, filled with the function name."""
    template_i = rng.integers(0, 3, n)
    # every (seniority, template, function) title once, then a vectorised lookup
    combos = [
        TITLE_TEMPLATES[s][t].format(f=f)
        for s in TITLE_TEMPLATES
        for t in range(3)
        for f in fun_keys
    ]
    combo_arr = np.array(combos, dtype=object)
    s_pos = {s: i for i, s in enumerate(TITLE_TEMPLATES)}
    sen_code = np.array([s_pos[s] for s in sen_keys])[sen_i]
    return combo_arr[(sen_code * 3 + template_i) * len(fun_keys) + fun_i]


def _draw_numbers(rng, n: int, seniority: np.ndarray, end_s: int) -> Numbers:
    """Heavy-tailed counts, experience by seniority, profile flags, creation time."""
    conn = np.maximum(1, np.round(rng.lognormal(np.log(330), 1.0, n))).astype(np.int64)
    # followers track connections, plus a few influencers (Pareto tail)
    followers = np.round(
        conn * rng.lognormal(0.05, 0.35, n)
        + np.where(rng.random(n) < 0.05, rng.pareto(1.1, n) * 800, 0)
    )
    years_exp = rng.gamma(4.0, _per_value(seniority, EXPERIENCE) / 4.0)
    years_role = years_exp * rng.beta(2.0, 4.0, n)
    senior_level = np.isin(seniority, ["director", "vp", "cxo", "owner", "partner"])
    has_photo = rng.random(n) < 0.88
    is_premium = rng.random(n) < np.where(senior_level, 0.32, 0.14)
    is_open = rng.random(n) < np.where(is_premium, 0.35, 0.06)
    junior = np.isin(seniority, ["entry", "training", "unpaid"])
    open_to_work = rng.random(n) < np.where(junior, 0.22, 0.07)
    skills = np.clip(rng.poisson(np.where(has_photo, 22, 10)), 0, 100)
    recs = rng.negative_binomial(0.6, 0.35, n)
    mutual = rng.negative_binomial(1.0, 1.0 / (1.0 + np.minimum(conn, 3000) / 60.0))
    groups = rng.poisson(0.5, n)
    # leads arrive through the year, a little more often recently
    created = (
        end_s
        - 365 * DAY
        + (rng.random(n) ** 0.9 * 330 * DAY).astype(np.int64)
        + rng.integers(0, DAY, n)
    )
    return Numbers(
        connections=conn,
        followers=followers,
        years_experience=years_exp,
        years_in_role=years_role,
        has_photo=has_photo,
        is_premium=is_premium,
        is_open_profile=is_open,
        open_to_work=open_to_work,
        skills=skills,
        recommendations=recs,
        mutual=mutual,
        groups=groups,
        created=created,
    )


def _draw_contacts(rng, n: int, n_contacted: int, end_s: int, created: np.ndarray) -> Contacts:
    """The exact number of contacted leads at random positions, each in one monthly campaign.

    Moves the contacted leads' `created` (in place) to at least two weeks before the contact.
    """
    if n_contacted:
        lead = np.sort(rng.choice(n, size=n_contacted, replace=False))
    else:
        lead = np.array([], dtype=np.int64)
    campaigns = campaign_months(end_s)
    campaign = rng.integers(1, len(campaigns), n_contacted)  # first month left for history
    start = np.array([c[0] for c in campaigns], dtype=np.int64)[campaign]
    at = (
        start
        + rng.integers(0, 10, n_contacted) * DAY
        + rng.integers(8 * 3600, 18 * 3600, n_contacted)
    )
    year_start = end_s - 365 * DAY
    created[lead] = year_start + (rng.random(n_contacted) * (at - 14 * DAY - year_start)).astype(
        np.int64
    )
    return Contacts(lead=lead, campaign=campaign, at=at, campaigns=campaigns)


def _draw_activities(
    rng, n: int, source: np.ndarray, created: np.ndarray, end_s: int, events_per_lead: float | None
) -> tuple[Events, np.ndarray]:
    """Organic activity events, and which leads have an e-mail address (no mail, no opens).

    Per-lead intensity (lognormal) -> Poisson counts (negative-binomial-like); 60 % of a
    lead's events cluster around one burst, the rest spread from creation to the end.
    """
    boost = _per_value(source, {"inbound": 1.6, "event": 1.3, "referral": 1.2}, 1.0)
    span_days = (end_s - created) / DAY
    lam = rng.lognormal(np.log(2.2), 1.15, n) * boost * (0.35 + 0.65 * span_days / 365)
    if events_per_lead is not None:
        # Only rescale when asked: the default must draw exactly the same numbers
        # (the bundled sample is checked byte for byte).
        lam = lam * (events_per_lead / lam.mean())
    lead = np.repeat(np.arange(n), np.minimum(rng.poisson(lam), 250))
    m = len(lead)
    burst = created + (rng.random(n) * (end_s - created)).astype(np.int64)
    time = np.where(
        rng.random(m) < 0.6,
        burst[lead] + (rng.normal(0, 18, m) * DAY).astype(np.int64),
        created[lead] + (rng.random(m) * (end_s - created[lead])).astype(np.int64),
    )
    # burst events that fall before creation or after the end are redrawn uniformly
    outside = (time < created[lead]) | (time >= end_s)
    time[outside] = created[lead[outside]] + (
        rng.random(outside.sum()) * (end_s - created[lead[outside]])
    ).astype(np.int64)
    kind = rng.choice(len(ACTIVITY_KEYS), size=m, p=ACTIVITY_P)
    has_email = rng.random(n) >= 0.13
    no_mail = ~has_email[lead]
    code = ACTIVITY_CODE
    kind = np.where(no_mail & (kind == code["email_open"]), code["website_visit"], kind)
    kind = np.where(no_mail & (kind == code["email_click"]), code["profile_view"], kind)
    return Events(lead, time, kind), has_email


def _draw_acceptances(rng, contacts: Contacts, created: np.ndarray) -> Events:
    """A connection acceptance before contact for about 60 % of the contacted leads."""
    acc = rng.random(len(contacts.lead)) < 0.6
    lead = contacts.lead[acc]
    time = created[lead] + (
        rng.random(acc.sum()) * (contacts.at[acc] - created[lead]) * 0.7
    ).astype(np.int64)
    return Events(lead, time, np.full(acc.sum(), ACTIVITY_CODE["connection_accepted"]))


def _hidden_model_inputs(
    lead_id,
    profiles: Profiles,
    numbers: Numbers,
    has_email,
    events: Events,
    accepted: Events,
    contacts: Contacts,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The contacted leads and their pre-contact activities in the raw-text view the hidden
    model reads (it takes the same input from the raw files in simulate-campaign)."""
    c = contacts.lead
    leads = pd.DataFrame(
        {
            "lead_id": np.asarray(lead_id.take(pa.array(c)).to_pylist(), dtype=object),
            "seniority": profiles.seniority[c],
            "company_size": profiles.company_size[c],
            "lead_source": profiles.source[c],
            "is_open_profile": numbers.is_open_profile[c].astype(str),
            "has_photo": numbers.has_photo[c].astype(str),
            "mutual_connections": numbers.mutual[c],
            "email": np.asarray(profiles.email.take(pa.array(c)).to_pylist(), dtype=object),
            "open_to_work": numbers.open_to_work[c].astype(str),
        }
    )
    leads.loc[~has_email[c], "email"] = None
    position = np.full(len(has_email), -1)
    position[c] = np.arange(len(c))
    sel = np.isin(events.lead, c)
    acts = pd.DataFrame(
        {
            "lead_id": leads["lead_id"].to_numpy()[
                position[np.concatenate([events.lead[sel], accepted.lead])]
            ],
            "activity_type": ACTIVITY_KEYS[np.concatenate([events.type[sel], accepted.type])],
            "occurred_at": np.concatenate([events.time[sel], accepted.time]).astype(float),
        }
    )
    return leads, acts


def _draw_replies(rng, p: np.ndarray, contacts: Contacts):
    """Who replied (drawn from the hidden model's p) and when, and the post-contact events:
    the reply, and a profile view before it for 60 % of responders (the leakage trap)."""
    k = len(contacts.lead)
    responded = rng.random(k) < p
    delay = np.minimum((rng.lognormal(np.log(30 * 3600), 1.0, k)).astype(np.int64), 9 * DAY)
    responded_at = contacts.at + 600 + delay
    r = responded
    replies = Events(
        contacts.lead[r], responded_at[r], np.full(r.sum(), ACTIVITY_CODE["message_reply"])
    )
    pv = r & (rng.random(k) < 0.6)
    view_time = contacts.at[pv] + (
        rng.random(pv.sum()) * (responded_at[pv] - contacts.at[pv])
    ).astype(np.int64)
    views = Events(contacts.lead[pv], view_time, np.full(pv.sum(), ACTIVITY_CODE["profile_view"]))
    return responded, responded_at, [replies, views]


def _draw_outreach(
    rng, lead_id, has_email, contacts: Contacts, responded, responded_at, contact_offset: int
) -> dict:
    """Outreach columns, ordered by contact time: channel (no e-mail without an address) and,
    for the last two campaigns, the experiment arm (70 % model-chosen, 30 % random)."""
    k = len(contacts.lead)
    ch_i, ch_keys = _choice(rng, CHANNELS, k)
    ch_i = np.where((ch_keys[ch_i] == "email") & ~has_email[contacts.lead], 1, ch_i)
    camp_ids = np.array([c[1] for c in contacts.campaigns], dtype=object)[contacts.campaign]
    late = contacts.campaign >= len(contacts.campaigns) - 2
    group = np.where(late, np.where(rng.random(k) < 0.7, "model", "random"), None)
    order = np.lexsort((contacts.lead, contacts.at))
    return {
        "contact_id": _ids("O", contact_offset + np.arange(k) + 1, 8),
        "lead_id": lead_id.take(pa.array(contacts.lead[order])),
        "campaign_id": _text(camp_ids[order]),
        "channel": _text(ch_keys[ch_i][order]),
        "experiment_group": _text(group[order]),
        "contacted_at": _ts_text(contacts.at[order]),
        "responded": _bool_text(responded[order]),
        "responded_at": _null_where(_ts_text(responded_at[order]), ~responded[order]),
    }


def _activity_columns(lead_id, events: list[Events], activity_offset: int) -> dict:
    """All events of the chunk as activity columns, ordered by lead, then time."""
    lead = np.concatenate([e.lead for e in events])
    time = np.concatenate([e.time for e in events])
    kind = np.concatenate([e.type for e in events])
    order = np.lexsort((time, lead))  # stable: ties keep the concatenation order
    lead, time, kind = lead[order], time[order], kind[order]
    return {
        "activity_id": _ids("A", activity_offset + np.arange(len(lead)) + 1, 10),
        "lead_id": lead_id.take(pa.array(lead)),
        "activity_type": _text(ACTIVITY_KEYS[kind]),
        "occurred_at": _ts_text(time),
    }


def _lead_columns(
    rng, lead_id, profiles: Profiles, numbers: Numbers, has_email, bad_rate: float
) -> dict:
    """Lead columns as text, with messy casing, missing optional fields and invalid values."""
    n = len(has_email)
    seniority, function, source = _messy_text(rng, profiles)

    def miss(rate):
        return rng.random(n) < rate

    # the dict is built in column order: each miss() draws, so the order is part of the output
    leads = {
        "lead_id": lead_id,
        "full_name": profiles.full_name,
        "email": _null_where(profiles.email, ~has_email),
        "profile_url": _null_where(profiles.profile_url, miss(0.01)),
        "job_title": _null_where(_text(profiles.title), miss(0.06)),
        "seniority": _null_where(_text(seniority), miss(0.03)),
        "job_function": _null_where(_text(function), miss(0.07)),
        "industry": _null_where(_text(profiles.industry), miss(0.10)),
        "company_name": _null_where(profiles.company, miss(0.04)),
        "company_size": _null_where(_text(profiles.company_size), miss(0.08)),
        "country": _null_where(_text(profiles.country), miss(0.05)),
        # LinkedIn shows connections above 500 as "500+"
        "connections": pc.if_else(
            pa.array(numbers.connections >= 500), pa.scalar("500+"), _int_text(numbers.connections)
        ),
        "followers": _null_where(_int_text(numbers.followers), miss(0.03)),
        "years_in_role": _null_where(_float_text(numbers.years_in_role), miss(0.15)),
        "years_experience": _null_where(_float_text(numbers.years_experience), miss(0.12)),
        "has_photo": _bool_text(numbers.has_photo),
        "is_premium": _bool_text(numbers.is_premium),
        "is_open_profile": _bool_text(numbers.is_open_profile),
        "open_to_work": _bool_text(numbers.open_to_work),
        "skills_count": _int_text(numbers.skills),
        "recommendations_count": _int_text(numbers.recommendations),
        "mutual_connections": _int_text(numbers.mutual),
        "shared_groups": _int_text(numbers.groups),
        "lead_source": _text(source),
        "created_at": _ts_text(numbers.created),
    }
    # a tiny rate of genuinely invalid values for the data-quality checks
    if bad_rate > 0:
        for col, bad in (
            ("followers", "n/a"),
            ("skills_count", "-1"),
            ("years_experience", "-3.5"),
            ("connections", "lots"),
        ):
            mask = rng.random(n) < bad_rate / 4
            if mask.any():
                leads[col] = pc.if_else(pa.array(mask), pa.scalar(bad), leads[col])
    return leads


def _messy_text(rng, profiles: Profiles):
    """Seniority, function and source text as exports have it: odd casing and whitespace
    that staging must normalise (4 %, 2 %, 2 % of leads)."""
    n = len(profiles.seniority)
    seniority = profiles.seniority.copy()
    messy = rng.random(n) < 0.04
    pick = rng.integers(0, 2, n)
    seniority[messy] = [
        SENIORITY_MESSY[s][k] for s, k in zip(profiles.seniority[messy], pick[messy], strict=True)
    ]
    function = profiles.function.copy()
    ws = rng.random(n) < 0.02
    function[ws] = [f + " " for f in function[ws]]
    source = profiles.source.copy()
    up = rng.random(n) < 0.02
    source[up] = [s.title() for s in source[up]]
    return seniority, function, source


def generate(
    out_dir,
    n_leads: int,
    n_contacted: int,
    seed: int = SEED,
    fmt: str = "csv",
    end_date: str = "2026-10-31",
    chunk_size: int = CHUNK_SIZE,
    bad_rate: float = 0.003,
    progress: bool = False,
    events_per_lead: float | None = None,
) -> dict:
    """Write leads/activities/outreach.<fmt> to out_dir; returns row counts.

    events_per_lead: average activity events per lead (None = the natural ~3.3).
    """
    end_s = _checked_arguments(n_leads, n_contacted, fmt, end_date, events_per_lead)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _refuse_stale_files(out, fmt)
    writers = {
        name: Writer(out / f"{name}.{fmt}", cols, fmt)
        for name, cols in (
            ("leads", LEAD_COLUMNS),
            ("activities", ACTIVITY_COLUMNS),
            ("outreach", OUTREACH_COLUMNS),
        )
    }
    t0 = time.monotonic()
    n_chunks = (n_leads + chunk_size - 1) // chunk_size
    try:
        for c in range(n_chunks):
            start = c * chunk_size
            n = min(chunk_size, n_leads - start)
            k = (start + n) * n_contacted // n_leads - start * n_contacted // n_leads
            leads, acts, outreach = generate_chunk(
                seed,
                c,
                start,
                n,
                k,
                end_s,
                writers["activities"].rows,
                writers["outreach"].rows,
                bad_rate,
                events_per_lead,
            )
            writers["leads"].write(leads)
            writers["activities"].write(acts)
            writers["outreach"].write(outreach)
            if progress and (n_chunks > 1):
                _print_progress(start + n, n_leads, t0)
    finally:
        for w in writers.values():
            w.close()
    return {name: w.rows for name, w in writers.items()}


def _checked_arguments(n_leads, n_contacted, fmt, end_date, events_per_lead) -> float:
    """Refuse arguments out of range (naming the CLI flag); returns end_date in epoch seconds."""
    if not MIN_LEADS <= n_leads <= MAX_LEADS:
        raise UserError(f"--leads must be between {MIN_LEADS} and {MAX_LEADS:,} (got {n_leads})")
    if not 0 <= n_contacted <= n_leads:
        raise UserError(f"--contacted must be between 0 and --leads (got {n_contacted})")
    if fmt not in ("csv", "parquet"):
        raise UserError(f"--format must be csv or parquet (got {fmt})")
    if events_per_lead is not None and not 0 < events_per_lead <= MAX_EVENTS_PER_LEAD:
        raise UserError(
            f"--events-per-lead must be in (0, {MAX_EVENTS_PER_LEAD}] (got {events_per_lead})"
        )
    try:
        return _epoch(end_date)
    except ValueError as exc:
        raise UserError(f"--end-date is not a date: {end_date}") from exc


def _refuse_stale_files(out: Path, fmt: str) -> None:
    """A file of the other format (or a suppression file) left in out would make the folder
    ambiguous for the readers."""
    for name in ("leads", "activities", "outreach", "do_not_contact"):
        for ext in ("csv", "parquet"):
            stale = out / f"{name}.{ext}"
            if stale.exists() and (ext != fmt or name == "do_not_contact"):
                raise UserError(f"{stale} exists; generate into an empty folder or remove it")


def _print_progress(done: int, n_leads: int, t0: float) -> None:
    rate = done / max(time.monotonic() - t0, 1e-9)
    print(
        f"generate: {done:,}/{n_leads:,} leads ({rate:,.0f} leads/s, "
        f"eta {(n_leads - done) / rate:,.0f}s)",
        file=sys.stderr,
        flush=True,
    )


def add_arguments(parser):
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--leads", type=int, default=1303, help="number of leads (303..10,000,000)")
    parser.add_argument(
        "--contacted",
        type=int,
        default=303,
        help="leads with a past outreach contact and known outcome",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--end-date",
        default="2026-10-31",
        help="timestamps cover the year before this date (default 2026-10-31)",
    )
    parser.add_argument(
        "--bad-rate",
        type=float,
        default=0.003,
        help="share of leads with an invalid value (data-quality demo)",
    )
    parser.add_argument(
        "--events-per-lead",
        type=float,
        default=None,
        help="average activity events per lead (default: the natural ~3.3; "
        "e.g. 10 for a 10M-lead / 100M-event benchmark set)",
    )


def run(args) -> int:
    t0 = time.monotonic()
    counts = generate(
        args.out,
        args.leads,
        args.contacted,
        seed=args.seed,
        fmt=args.format,
        end_date=args.end_date,
        bad_rate=args.bad_rate,
        progress=args.leads > CHUNK_SIZE,
        events_per_lead=args.events_per_lead,
    )
    seconds = time.monotonic() - t0
    print(
        f"generate: wrote {counts['leads']:,} leads, {counts['activities']:,} activities "
        f"({counts['activities'] / counts['leads']:.2f} per lead), "
        f"{counts['outreach']:,} outreach rows to {args.out} ({args.format}) "
        f"in {seconds:.1f}s ({counts['leads'] / max(seconds, 1e-9):,.0f} leads/s)"
    )
    return 0
