{#-
  The list handed to the outreach team. When the build is committed (every model and test
  passed; with leadscore build, once published: macros/scoring/commit_build.sql),
  export_outreach_list writes it to <var export_dir>/outreach_list_YYYYMMDD.csv (build date,
  UTC) through the adapter-dispatched export_csv macro, spreadsheet-safe and atomically; a
  failed build exports nothing. var export_list picks the list: top_k (default), threshold,
  phase1 or phase3.
  Minimal personal data: the name, LinkedIn profile URL, job title and company are what a rep
  needs to find and address the lead on LinkedIn; e-mail, location and the raw profile/activity
  features stay in the warehouse (data minimisation).
-#}
{%- set lists = {'top_k': 'outreach_top_k', 'threshold': 'outreach_by_threshold',
                 'phase1': 'rollout_phase1_validation', 'phase3': 'rollout_phase3_production'} -%}
{#- the names are var export_list's choices in var_rules() -#}
{%- set choice = leadscore.checked_var('export_list') -%}

select
    l.list_position,
    l.lead_id,
    l.full_name,
    l.profile_url,
    l.job_title,
    l.company_name,
    l.engagement_score,
    l.priority,
    l.score_rank,
    {%- for column in leadscore.reason_columns() %}
    r.{{ column }},
    {%- endfor %}
    '{{ choice }}' as list_name
from {{ ref(lists[choice]) }} as l
left join {{ ref('lead_reasons') }} as r on l.lead_id = r.lead_id
