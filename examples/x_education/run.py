"""X Education end to end: "bring your own lead data" on a real public CRM export.

    .venv/bin/python examples/x_education/run.py --data ../shared/data/x_education_leads.csv
    (or: make x-education XED_DATA=../shared/data/x_education_leads.csv)

Steps (all in an isolated work folder, default examples/x_education/artifacts/, git-ignored;
the main project's build database, target/ and exports/ are never touched):
 1. dbt deps: installs the main project (../..) as the local package `lead_scoring` (offline).
 2. dbt build --select package:x_education: raw -> staging -> features of THIS project
    (stg_leads, stg_outreach, stg_do_not_contact, data_quality_issues, lead_features,
    lead_training_set), with their contracts and tests.
 3. leadscore train --db <work>/x_education.duckdb --out <work>/model --baseline.
 4. dbt build (default selector x_education): everything again plus the main project's
    unchanged scoring (lead_scores, active_model), selection and monitoring marts, reading
    the artifact of step 3 (var model_dir) and writing the outreach list to <work>/exports.
 5. Leakage demo (skip with --no-leakage-demo): builds lead_training_set_leaky (the features
    plus `sales_stage`, from the post-contact Tags column) and shows that `leadscore train`
    refuses it through its single-feature AUC guard.
 6. Prints a summary (also written to <work>/summary.json).

Where the data file is absent the script prints why and exits 0 without doing anything
(--require-data makes that exit 2). The file is only read, never copied into the repository.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sys
import time
from pathlib import Path

EXAMPLE_DIR = Path(__file__).resolve().parent
REPO_ROOT = EXAMPLE_DIR.parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "x_education_leads.csv"
DEFAULT_WORK_DIR = EXAMPLE_DIR / "artifacts"
# sha256 of the published file (see ../shared/data/README.md); another version still runs.
EXPECTED_SHA256 = "5d3ee1b451314616319d0089bce658d11a8a006ea5bcc1893299e8967002a908"

# Columns of the file that are NEVER features, and why (the README lists the same).
EXCLUDED_COLUMNS = {
    "Tags": "free-text status written by the sales team after contacting the lead",
    "Lead Quality": "the sales rep's rating of the lead after contact",
    "Last Activity": "latest activity at export time, mostly after contact (e.g. SMS Sent by sales)",
    "Last Notable Activity": "same as Last Activity",
    "Lead Profile": "profile category assigned by the sales team",
    "Asymmetrique Activity Index": "vendor score computed after contact (not known at scoring time)",
    "Asymmetrique Profile Index": "vendor score computed after contact",
    "Asymmetrique Activity Score": "vendor score computed after contact",
    "Asymmetrique Profile Score": "vendor score computed after contact",
    "Do Not Email": "CRM state at export time (may be set after contact): used to suppress outreach",
    "Do Not Call": "CRM state at export time: used to suppress outreach",
    "Prospect ID": "key",
    "Lead Number": "second key (sequential: would only learn time trends)",
    "Converted": "the label",
    "Magazine": "single value in the whole file",
    "Receive More Updates About Our Courses": "single value",
    "Update me on Supply Chain Content": "single value",
    "Get updates on DM Content": "single value",
    "I agree to pay the amount through cheque": "single value",
    "What matters most to you in choosing a course": "almost constant (6,525 of 6,528 answers are one value)",
}
# Words of the excluded post-contact columns as they would appear in a feature name.
EXCLUDED_FEATURE_WORDS = ("tag", "quality", "last_activity", "notable", "lead_profile",
                          "asymmetrique", "do_not", "lead_number", "sales_stage", "converted")

LEAKY_TABLE = "lead_training_set_leaky"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="the X Education CSV (default: %(default)s)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK_DIR,
                        help="folder for the warehouse, dbt target, model artifact and exports "
                             "(default: %(default)s)")
    parser.add_argument("--no-leakage-demo", dest="leakage_demo", action="store_false",
                        help="skip step 5 (the leakage guard demonstration)")
    parser.add_argument("--require-data", action="store_true",
                        help="exit 2 instead of 0 when the data file is absent")


def paths(work_dir: Path) -> dict:
    work_dir = Path(work_dir).resolve()
    return {"work": work_dir, "db": work_dir / "x_education.duckdb", "target": work_dir / "target",
            "model": work_dir / "x_education_model", "exports": work_dir / "exports",
            "leaky_model": work_dir / "leaky_model_never_written",
            "summary": work_dir / "summary.json"}


def dbt(args, p, vars_=None, check=True):
    from leadscore.dbt_runner import dbt_command

    print(f"[x_education] dbt {' '.join(args)}", flush=True)
    # `dbt deps` takes no --target-path: its log folder is set directly.
    target = None if args[0] == "deps" else p["target"]
    return dbt_command(args, db_path=None, target_path=target, vars=vars_,
                       project_dir=EXAMPLE_DIR, check=check, capture=True,
                       extra_env={"XED_DB": str(p["db"]),
                                  "DBT_LOG_PATH": str(p["target"] / "logs")})


def leadscore(argv) -> tuple[int, str, str]:
    """Run `leadscore <argv>` in-process (same code path as the CLI); returns (rc, out, err)."""
    from leadscore import cli

    out, err = io.StringIO(), io.StringIO()
    print(f"[x_education] leadscore {' '.join(map(str, argv))}", flush=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def leakage_demo(p, base_vars) -> dict:
    """Build the leaky training-table variant and check that training refuses it."""
    dbt(["build", "--select", LEAKY_TABLE], p, {**base_vars, "xed_leakage_demo": True})
    rc, out, err = leadscore(["train", "--db", p["db"], "--table", LEAKY_TABLE,
                              "--out", p["leaky_model"]])
    refused = rc == 2 and "possible label leakage" in err
    message = err.strip().splitlines()[-1] if err.strip() else ""
    return {"table": LEAKY_TABLE, "exit_code": rc, "refused": refused, "message": message,
            "artifact_written": p["leaky_model"].exists()}


def summarise(p, card, leak) -> dict:
    import duckdb

    with duckdb.connect(str(p["db"]), read_only=True) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        s = {
            "leads_in_file": q("select count(*) from stg_xed_leads_checked")[0][0],
            "leads_accepted": q("select count(*) from stg_leads")[0][0],
            "data_quality_issues": q("select action, count(*) from data_quality_issues "
                                     "group by action order by action"),
            "training_rows": card["training"]["rows"], "base_rate": card["training"]["base_rate"],
            "features": [f["name"] for f in card["features"]],
            "lead_scores_rows": q("select count(*) from lead_scores")[0][0],
            "eligible_leads": q("select count(*) from outreach_eligible_leads")[0][0],
            "suppressed_leads": q("select count(*) from stg_do_not_contact")[0][0],
            "top_leads": q("select score_rank, lead_id, round(engagement_score, 3), priority, "
                           "reason_up_1, reason_down_1 from lead_scores order by score_rank limit 5"),
            "priority_counts": q("select priority, count(*) from lead_scores group by priority "
                                 "order by min(engagement_score)"),
        }
    cv, base = card["cv"], card["cv"].get("baseline_logreg", {})
    s["cv"] = {"roc_auc": cv["roc_auc"], "baseline_roc_auc": base.get("roc_auc"),
               "precision_at_fraction": cv["precision_at_fraction"],
               "baseline_precision_at_fraction": base.get("precision_at_fraction"),
               "precision_at_k": cv["precision_at_k"],
               "max_single_feature_auc": max(cv["single_feature_auc"].values())}
    s["model_version"] = card["model_version"]
    s["leakage_demo"] = leak
    exports = sorted(p["exports"].glob("outreach_list_*.csv"))
    s["export_file"] = str(exports[-1]) if exports else None
    return s


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.1f}%"


def print_summary(s) -> None:
    print("\n=== X Education: bring your own lead data ===")
    print(f"leads: {s['leads_in_file']} rows read, {s['leads_accepted']} accepted; "
          f"data quality issues: {dict(s['data_quality_issues']) or 'none'}")
    print(f"model {s['model_version']}: {len(s['features'])} pre-contact features, "
          f"{s['training_rows']} historical contacts, base rate {_pct(s['base_rate'])}")
    print(f"cross-validated ROC AUC: XGBoost {s['cv']['roc_auc']:.3f}, logistic regression "
          f"{s['cv']['baseline_roc_auc']:.3f}; highest single-feature AUC "
          f"{s['cv']['max_single_feature_auc']:.3f} (guard limit 0.9)")
    print("\n| top of the list | XGBoost precision (95% CI) | logistic regression (95% CI) |")
    print("|---|---|---|")
    for x, b in zip(s["cv"]["precision_at_fraction"], s["cv"]["baseline_precision_at_fraction"]):
        print(f"| {100 * x['fraction']:g}% ({x['n']} leads) | {_pct(x['precision'])} "
              f"({_pct(x['ci_low'])} - {_pct(x['ci_high'])}) | {_pct(b['precision'])} "
              f"({_pct(b['ci_low'])} - {_pct(b['ci_high'])}) |")
    print(f"\nscored leads: {s['lead_scores_rows']} (in-sample for all of them: every lead was "
          f"trained on); priority: {dict(s['priority_counts'])}")
    print(f"eligible for outreach: {s['eligible_leads']} ({s['suppressed_leads']} suppressed by "
          f"Do Not Email/Call); list written to {s['export_file']}")
    print("top 5 leads:")
    for rank, lead, score, prio, up, down in s["top_leads"]:
        print(f"  {rank}. {lead} {score} {prio}: + {up}; - {down}")
    leak = s["leakage_demo"]
    if leak:
        print(f"\nleakage guard on {leak['table']} (adds post-contact Tags as sales_stage): "
              f"{'REFUSED' if leak['refused'] else 'NOT refused'} (exit {leak['exit_code']})"
              f"\n  {leak['message']}")


def run(args) -> int:
    data = Path(args.data).expanduser().resolve()
    if not data.is_file():
        print(f"x_education: SKIPPED: data file not found: {data}\n"
              "  Pass its path: make x-education XED_DATA=/path/to/x_education_leads.csv "
              "(or run.py --data ...). See ../shared/data/README.md.", file=sys.stderr)
        return 2 if args.require_data else 0
    t0 = time.monotonic()
    p = paths(args.work_dir)
    p["work"].mkdir(parents=True, exist_ok=True)
    digest = _sha256(data)
    if digest != EXPECTED_SHA256:
        print(f"[x_education] note: {data} has sha256 {digest[:12]}..., not the published "
              f"{EXPECTED_SHA256[:12]}...; the numbers in the README will differ", flush=True)
    base_vars = {"xed_data_path": str(data), "model_dir": str(p["model"]),
                 "export_dir": str(p["exports"])}

    dbt(["deps"], p)
    dbt(["build", "--select", "package:x_education"], p, base_vars)
    rc, out, err = leadscore(["train", "--db", p["db"], "--out", p["model"], "--baseline"])
    print(out, end="")
    if rc != 0:
        print(err, file=sys.stderr)
        return rc
    dbt(["build"], p, base_vars)
    leak = leakage_demo(p, base_vars) if args.leakage_demo else None
    card = json.loads((p["model"] / "model_card.json").read_text())
    summary = summarise(p, card, leak)
    summary["seconds"] = round(time.monotonic() - t0, 1)
    p["summary"].write_text(json.dumps(summary, indent=2, default=str) + "\n")
    print_summary(summary)
    print(f"\ndone in {summary['seconds']}s; warehouse {p['db']}, artifact {p['model']}, "
          f"summary {p['summary']}")
    if leak and not leak["refused"]:
        print("x_education: ERROR: the leakage guard did not refuse the post-contact feature",
              file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="x_education", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
