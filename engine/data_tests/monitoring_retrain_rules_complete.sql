-- retrain_triggers always reports its five rules.
select count(*) as rules from {{ ref('retrain_triggers') }}
having count(*) <> 5
