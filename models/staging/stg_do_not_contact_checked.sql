-- Every row of the optional do_not_contact file. A row must name a lead by lead_id or by a
-- valid e-mail, else it is rejected (and a file with too many such rows stops the build, like
-- any raw file: an opt-out list that silently does nothing is the worst kind of data loss).
-- A usable row that matches no accepted lead is kept, and reported as not_applied
-- (<column>__not_applied), because an opt-out may name someone who is not a lead yet.
{{ config(post_hook="{{ leadscore.add_malformed_csv_rows('do_not_contact') }}") }}
-- The cleaning macros (email_columns) name their raw table `r`, so this single-table select
-- qualifies its columns too (sqlfluff RF03 allows that only with a noqa).
with entries as (
    select
        r.source_file,  -- noqa: RF03
        r.source_line,  -- noqa: RF03
        -- a tab or CR pasted around an id or e-mail must not void an opt-out
        {{ leadscore.text_value('r.lead_id', all_whitespace=true) }} as lead_id,  -- noqa: RF03
        {{ leadscore.email_columns('email', all_whitespace=true) }},
        {{ leadscore.text_value('r.reason') }} as reason,
        r.lead_id as lead_id__raw,  -- noqa: RF03
        -- the e-mail as read even when usable (email__raw holds only unusable text): an
        -- e-mail that matches no lead is reported with it
        r.email as email_as_read  -- noqa: RF03
    from {{ ref('raw_do_not_contact') }} as r
),

checked as (
    select
        e.*,  -- noqa: RF03
        exists(
            select 1 from {{ ref('stg_leads') }} as l
            where l.lead_id = e.lead_id or (e.email is not null and l.email = e.email)
        ) as matches_a_lead
    from entries as e
)

select
    source_file,
    source_line,
    lead_id,
    email,
    reason,
    case
        when lead_id is null and email_as_read is not null and email is null
            then 'no lead_id, and the email is not an e-mail address'
        when lead_id is null and email is null then 'neither lead_id nor email given'
    end as reject_reason,
    case when lead_id is null then 'email' end as reject_column,
    case when lead_id is null then email_as_read end as reject_value,
    -- an unusable e-mail next to a usable lead_id: the row still applies by lead_id
    case when lead_id is not null then email__issue end as email__issue,
    email_as_read as email__raw,
    case when lead_id is not null and not matches_a_lead
         then 'matches no accepted lead (by lead_id or e-mail): not applied' end as lead_id__not_applied,
    lead_id__raw,
    case when lead_id is null and email is not null and not matches_a_lead
         then 'matches no accepted lead (by e-mail): not applied' end as email__not_applied
from checked
