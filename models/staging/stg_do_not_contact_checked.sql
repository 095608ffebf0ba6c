-- Every row of the optional do_not_contact file. A row must name a lead_id or an e-mail.
select
    r.source_file,
    r.source_line,
    {{ text_value('r.lead_id') }} as lead_id,
    lower({{ text_value('r.email') }}) as email,
    {{ text_value('r.reason') }} as reason,
    case when {{ text_value('r.lead_id') }} is null and {{ text_value('r.email') }} is null
        then 'neither lead_id nor email given' end as reject_reason,
    case when {{ text_value('r.lead_id') }} is null and {{ text_value('r.email') }} is null
        then 'lead_id' end as reject_column,
    cast(null as {{ dbt.type_string() }}) as reject_value
from {{ ref('raw_do_not_contact') }} as r
