-- Every lead of lead_features has a score (the other direction is a relationships test on lead_scores).
select f.lead_id
from {{ ref('lead_features') }} as f
left join {{ ref('lead_scores') }} as s on s.lead_id = f.lead_id
where s.lead_id is null
