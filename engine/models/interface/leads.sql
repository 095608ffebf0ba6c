-- Lead contact details the outreach lists show, and lead_source for a retraining rule.
select lead_id, full_name, email, profile_url, job_title, company_name, lead_source
from {{ leadscore.checked_input('leads', ['lead_id', 'full_name', 'email', 'profile_url',
                                          'job_title', 'company_name', 'lead_source']) }}
