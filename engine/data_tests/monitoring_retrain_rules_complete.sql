-- retrain_triggers always reports its six rules.
select count(*) as rules from {{ ref('retrain_triggers') }}
having count(*) <> 6
