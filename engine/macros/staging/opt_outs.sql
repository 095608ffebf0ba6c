{#-
  An opt-out list, checked and applied, for any input project.

  leadscore.checked_opt_outs(raw, leads, lead_id='lead_id', email='email', reason='reason'):
    the body of the list's staging "checked" model. `raw` is the list's reader (source_file,
    source_line and text columns); lead_id, email and reason name its columns (none: the list
    has no such column; lead_id or email must be given); `leads` holds the accepted leads
    with their lead_id and email (NULL where unknown, as input_leads has them). Every row is
    kept:
      - a row naming no lead by a usable lead_id or e-mail is rejected (reject_reason), and a
        list losing more than var max_rejected_share of its rows stops the build, like any file;
      - a usable row that matches no accepted lead is kept and reported not_applied
        (<column>__not_applied): an opt-out may name someone who is not a lead yet. A list
        more than var max_not_applied_share of which does nothing (not applied or rejected)
        stops the build (data test data_quality_not_applied_share): its ids are usually in
        another scheme.
    Tabs and line breaks around an id or e-mail are trimmed (a pasted key must not void an
    opt-out), e-mails compared in lower case. Leads are matched by an equality join per key,
    driven by the list: an `or` of both keys in one join runs as a nested loop (leads x list
    rows), and a join driven by the leads costs a pass over every lead even for an empty list.
    Report the list in both data-quality models: data_quality_issues_of([(ref('<this model>'),
    'coalesce(lead_id, email)')]) and data_quality_summary_of, which counts its rows (the data
    test data_quality_summary_names_every_file fails a build whose summary leaves it out).
  leadscore.applied_opt_outs(checked, leads): the body of input_do_not_contact - one row per
    accepted lead an accepted opt-out names, by lead_id or e-mail, with the first reason.
  leadscore.log_opt_outs(checked, path=none, label='opt-outs'): its post-hook
    (`{{ config(post_hook="{{ leadscore.log_opt_outs(ref('stg_opt_outs_checked')) }}") }}`):
    the build log names the list read (path, default: the file its rows name) with its rows,
    those rejected or naming no accepted lead, and the leads it suppresses.
-#}
{% macro checked_opt_outs(raw, leads, lead_id='lead_id', email='email', reason='reason') -%}
  {%- if lead_id is none and email is none -%}
    {{ exceptions.raise_compiler_error(
        "leadscore.checked_opt_outs in " ~ this ~ ": name the list's lead_id or email column (or both)") }}
  {%- endif -%}
  {%- do leadscore.check_leads_keys(leads, 'checked_opt_outs') -%}
  {%- set no_text = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
  {%- set keys = [lead_id and 'lead_id', email and 'email'] | select | list -%}
with named as (
    -- the list's columns, as text, under the names the checks below use
    select
        source_file,
        source_line,
        {{ 'cast(' ~ lead_id ~ ' as ' ~ dbt.type_string() ~ ')' if lead_id else no_text }} as lead_id,
        {{ email or no_text }} as email,
        {{ reason or no_text }} as reason
    from {{ raw }}
),

entries as (
    select
        r.source_file,
        r.source_line,
        {{ leadscore.text_value('r.lead_id', all_whitespace=true) }} as lead_id,
        {{ leadscore.email_columns('email', all_whitespace=true) }},
        {{ leadscore.text_value('r.reason') }} as reason,
        r.lead_id as lead_id__raw,
        -- the e-mail as read even when usable (email__raw holds only unusable text): an
        -- e-mail that matches no lead is reported with it
        r.email as email_as_read
    from named as r
),

checked as (
    select
        e.*,
        by_id.lead_id is not null {% if email %}or by_email.email is not null{% endif %} as matches_a_lead
    from entries as e
    -- the keys of the list that match a lead: joined from the (small) list, not from every lead
    left join (
        select distinct x.lead_id from entries as x inner join {{ leads }} as l on x.lead_id = l.lead_id
    ) as by_id
        on e.lead_id = by_id.lead_id
    {%- if email %}
    left join (
        select distinct x.email from entries as x inner join {{ leads }} as l on x.email = lower(l.email)
    ) as by_email
        on e.email = by_email.email
    {%- endif %}
)

select
    source_file,
    source_line,
    lead_id,
    email,
    reason,
    case
        when lead_id is null and email_as_read is not null and email is null
            then {{ "'no lead_id, and the email is not an e-mail address'" if lead_id else "'not an e-mail address'" }}
        when lead_id is null and email is null then '{{ ("neither " if keys | length > 1 else "no ") ~ keys | join(" nor ") }} given'
    end as reject_reason,
    case when lead_id is null then '{{ 'email' if email else 'lead_id' }}' end as reject_column,
    case when lead_id is null then {{ 'email_as_read' if email else 'lead_id__raw' }} end as reject_value,
    -- an unusable e-mail next to a usable lead_id: the row still applies by lead_id
    case when lead_id is not null then email__issue end as email__issue,
    email_as_read as email__raw,
    case when lead_id is not null and not matches_a_lead
         then 'matches no accepted lead ({{ "by lead_id or e-mail" if email else "by lead_id" }}): not applied'
    end as lead_id__not_applied,
    lead_id__raw,
    case when lead_id is null and email is not null and not matches_a_lead
         then 'matches no accepted lead (by e-mail): not applied' end as email__not_applied
from checked
{%- endmacro %}

{#- Always by lead_id and by e-mail, as checked_opt_outs counted a row applied (a list without
    e-mails has NULL there and matches nothing by e-mail). Never decided from the leads'
    columns: an ephemeral model shows none, and e-mail opt-outs would vanish unreported. -#}
{% macro applied_opt_outs(checked, leads) -%}
  {%- do leadscore.check_leads_keys(leads, 'applied_opt_outs') -%}
select matched.lead_id, min(matched.reason) as reason
from (
    select lead.lead_id, o.reason
    from {{ checked }} as o
    inner join {{ leads }} as lead on o.lead_id = lead.lead_id
    where o.reject_reason is null
    union all
    select lead.lead_id, o.reason
    from {{ checked }} as o
    inner join {{ leads }} as lead on o.email = lower(lead.email)
    where o.reject_reason is null
) as matched
group by matched.lead_id
{%- endmacro %}

{#- The leads must carry lead_id and email (a list is matched by both): checked once the leads
    exist in the warehouse (an ephemeral model or a fresh database has nothing to read), so a
    missing column is named instead of surfacing as a binder error about an alias. -#}
{% macro check_leads_keys(leads, macro_name) -%}
  {%- if not execute or leads.identifier is not defined or leads.is_cte or not leads.schema -%}{{ return('') }}{%- endif -%}
  {%- set built = adapter.get_relation(database=leads.database, schema=leads.schema, identifier=leads.identifier) -%}
  {%- if built is none -%}{{ return('') }}{%- endif -%}
  {%- set present = adapter.get_columns_in_relation(built) | map(attribute='name') | map('lower') | list -%}
  {%- set missing = ['lead_id', 'email'] | reject('in', present) | list -%}
  {%- if missing -%}
    {{ exceptions.raise_compiler_error("leadscore." ~ macro_name ~ " in " ~ this ~ ": the leads (" ~ leads
        ~ ") lack column(s) " ~ missing | join(', ') ~ "; an opt-out list is matched by lead_id and by "
        ~ "e-mail, so the leads need both (email NULL where unknown)") }}
  {%- endif -%}
{%- endmacro %}

{% macro log_opt_outs(checked, path=none, label='opt-outs') -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set rows = run_query(
      "select count(*), count(reject_reason), "
      ~ "count(case when lead_id__not_applied is not null or email__not_applied is not null then 1 end), "
      ~ "max(source_file) from " ~ checked).rows[0] -%}
  {%- set suppressed = run_query("select count(*) from " ~ this).rows[0][0] -%}
  {{ log(label ~ ": read " ~ (path or rows[3]) ~ ": " ~ rows[0] ~ " row(s), " ~ rows[1] ~ " rejected, "
         ~ rows[2] ~ " naming no accepted lead; " ~ suppressed ~ " lead(s) suppressed", info=true) }}
  {{ return('') }}
{%- endmacro %}
