{#- Precision@K per evaluated set, tie rule score desc, lead_id asc, contact_id asc.
    A full select (use as a subquery): one row per (set, K) with
    set_col, k, n = least(K, rows of the set), hits, precision, ci_low, ci_high (Wilson 95%),
    set_rows, set_positives, base_rate (positives / rows of the set), lift, min_score_taken.
    relation: rows with set_col, score, label (0/1), lead_id, contact_id.
    k_relation: rows with an integer column k. -#}
{% macro precision_at_k(relation, k_relation, set_col='evaluated_set', score='score', label='label') -%}
  with pak_ranked as (
    select {{ set_col }} as set_key, {{ score }} as score, {{ label }} as label,
      row_number() over (partition by {{ set_col }} order by {{ leadscore.tie_rule_order(score) }}) as score_rank
    from {{ relation }}
  ),
  pak_sets as (
    select set_key, count(*) as set_rows, cast(sum(label) as bigint) as set_positives
    from pak_ranked group by set_key
  ),
  pak_grid as (
    select s.set_key, s.set_rows, s.set_positives, kv.k,
      case when kv.k < s.set_rows then kv.k else s.set_rows end as n
    from pak_sets s cross join (select distinct k from {{ k_relation }}) kv
  ),
  pak_top as (
    select g.set_key, g.k, g.n, g.set_rows, g.set_positives,
      cast(coalesce(sum(r.label), 0) as bigint) as hits, min(r.score) as min_score_taken
    from pak_grid g
    left join pak_ranked r on r.set_key = g.set_key and r.score_rank <= g.k
    group by g.set_key, g.k, g.n, g.set_rows, g.set_positives
  )
  select set_key as {{ set_col }}, k, n, hits,
    case when n > 0 then cast(hits as {{ leadscore.type_double() }}) / n end as precision,
    {{ leadscore.wilson_low('hits', 'n') }} as ci_low,
    {{ leadscore.wilson_high('hits', 'n') }} as ci_high,
    set_rows, set_positives,
    cast(set_positives as {{ leadscore.type_double() }}) / set_rows as base_rate,
    {{ leadscore.lift('cast(hits as ' ~ leadscore.type_double() ~ ') / n', 'cast(set_positives as ' ~ leadscore.type_double() ~ ') / set_rows') }} as lift,
    min_score_taken
  from pak_top
{%- endmacro %}
