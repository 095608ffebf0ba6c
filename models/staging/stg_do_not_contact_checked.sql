-- Every row of the optional do_not_contact file. A row must name a lead_id or an e-mail; a
-- row that matches no accepted lead cannot be applied and is reported (an opt-out that
-- silently did nothing would be the worst kind of data loss).
with entries as (
    select
        r.source_file,
        r.source_line,
        {{ leadscore.text_value('r.lead_id') }} as lead_id,
        lower({{ leadscore.text_value('r.email') }}) as email,
        {{ leadscore.text_value('r.reason') }} as reason
    from {{ ref('raw_do_not_contact') }} as r
)

select
    e.*,
    case
        when e.lead_id is null and e.email is null then 'neither lead_id nor email given'
        when not exists (
            select 1 from {{ ref('stg_leads') }} as l
            where l.lead_id = e.lead_id or (e.email is not null and l.email = e.email))
            then 'matches no accepted lead (by lead_id or e-mail): not applied'
    end as reject_reason,
    case when e.lead_id is not null then 'lead_id' else 'email' end as reject_column,
    coalesce(e.lead_id, e.email) as reject_value
from entries as e
