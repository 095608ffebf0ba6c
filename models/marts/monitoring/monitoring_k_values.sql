-- The K values of precision@K, taken from the model card's k_values (never re-typed here).
-- The card's list is rendered as text ('[5, 10, 20]' or '5,10,20') and matched against a
-- portable integer series 1..9999.
with card as (
    select ',' || replace(replace(replace(replace(k_values_text, '[', ''), ']', ''), ' ', ''), '"', '') || ',' as k_list
    from {{ ref('monitoring_model_card') }}
),
series as (
    {{ integer_series(9999) }}
)
select s.i as k
from series s
cross join card
where s.i > 0
  and {{ dbt.position("',' || cast(s.i as " ~ dbt.type_string() ~ ") || ','", 'card.k_list') }} > 0
