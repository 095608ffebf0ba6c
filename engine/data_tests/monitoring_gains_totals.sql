-- The last decile of every gains table covers the whole set.
with last_decile as (
    select *, row_number() over (partition by evaluated_set order by decile desc) as from_end
    from {{ ref('lift_by_decile') }}
)

select * from last_decile
where from_end = 1
  and (cum_leads <> (
           select count(*) from {{ ref('monitoring_evaluation_set') }} as e
           where e.evaluated_set = last_decile.evaluated_set
       )
       or (cum_responders_pct is not null and abs(cum_responders_pct - 1) > 1e-12))
