-- precision@K bookkeeping: n = least(K, set rows), hits <= n, hits <= set positives.
select * from {{ ref('precision_at_k') }}
where n <> case when k < set_rows then k else set_rows end
   or hits > n
   or hits > set_positives
