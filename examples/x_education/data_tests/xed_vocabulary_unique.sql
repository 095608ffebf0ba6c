-- Each (question, value) of the declared vocabulary maps to exactly one category.
select question, value, count(*) as n
from {{ ref('xed_vocabulary') }}
group by question, value
having count(*) > 1
