"""Raw LinkedIn rows for tests that write tiny raw folders (bad input, features)."""

from conftest import part_of

from leadscore.synthetic import generate

# What those tests build: the LinkedIn input project and the engine's interface views over it.
INPUT_PART = part_of("package:lead_scoring", "fqn:leadscore.interface")
# Less of it, for tests that read only what the checks of the raw files produce: the readers,
# staging, data_quality_issues and data_quality_summary, with their data tests (49 nodes of 113).
DATA_QUALITY_PART = part_of("+data_quality_issues", "+data_quality_summary")


def lead_row(lead_id, **over):
    """A good raw lead in the contract's column order; `over` replaces values."""
    row = {
        "lead_id": lead_id,
        "full_name": f"Name {lead_id}",
        "email": f"{lead_id.lower()}@acme.io",
        "profile_url": f"https://www.linkedin.com/in/{lead_id.lower()}",
        "job_title": "Head of Sales",
        "seniority": "director",
        "job_function": "Sales",
        "industry": "Software Development",
        "company_name": "Acme",
        "company_size": "51-200",
        "country": "Germany",
        "connections": "500+",
        "followers": "1200",
        "years_in_role": "2.5",
        "years_experience": "10",
        "has_photo": "true",
        "is_premium": "false",
        "is_open_profile": "false",
        "open_to_work": "false",
        "skills_count": "20",
        "recommendations_count": "1",
        "mutual_connections": "3",
        "shared_groups": "0",
        "lead_source": "sales_navigator",
        "created_at": "2026-01-10T09:00:00",
    }
    row.update(over)
    return [row[h] for h in generate.LEAD_COLUMNS]
