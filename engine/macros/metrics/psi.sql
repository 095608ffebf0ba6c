{#- Population stability index of `current` against `reference`, per group (see metrics.yml).
    psi_bins: a full select (use as a subquery), one row per (group, bin):
      group_col, bin, lower_edge, upper_edge, bins, n_ref, n_cur, ref_count, cur_count,
      ref_share, cur_share, psi_term.
    psi: a full select, one row per group of the reference (psi_summary of psi_bins):
      group_col, bins, n_ref, n_cur, psi, psi_noise_expected, psi_noise_critical.
    Bins are fixed by the REFERENCE only: its non-NULL values are cut into `n_bins` equal-count
    tiles (ntile, ordered by value) and each tile's maximum becomes an upper edge; duplicate
    edges collapse (fewer bins for lumpy features), the lowest bin is open below and the highest
    open above (bin 1 has lower_edge NULL: every value <= upper_edge; the last bin takes every
    value > lower_edge). NULL values get their own 'missing' bin 0 when either side has any.
    Shares are smoothed with `epsilon` pseudo-counts per bin:
      share_i = (count_i + epsilon) / (n + epsilon * bins)
    so an empty bin never gives ln(0); psi_term_i = (cur_i - ref_i) * ln(cur_i / ref_i) and
    PSI = sum_i psi_term_i. psi is NULL when either side has no rows.
    current_weight: a column of `current` saying how many rows each of its rows stands for
    (e.g. the count of a grouped value, leadscore.columns_as_value_counts), so a large current
    side is binned once per distinct value; none = one row each. -#}
{% macro psi_bins(reference, current, group_col, value_col='value', n_bins=10, epsilon=0.5, current_weight=none) -%}
  {%- set eps = "cast(" ~ epsilon ~ " as " ~ leadscore.type_double() ~ ")" -%}
  {%- set bigint = dbt.type_bigint() -%}
  with psi_ref as (
    select {{ group_col }} as grp, cast({{ value_col }} as {{ leadscore.type_double() }}) as v from {{ reference }}
  ),
  psi_cur as (
    select {{ group_col }} as grp, cast({{ value_col }} as {{ leadscore.type_double() }}) as v,
      cast({{ current_weight or 1 }} as {{ bigint }}) as w
    from {{ current }}
  ),
  psi_tiles as (
    select grp, v, ntile({{ n_bins }}) over (partition by grp order by v) as tile
    from psi_ref where v is not null
  ),
  psi_edges as (
    select distinct grp, upper_edge from (
      select grp, tile, max(v) as upper_edge from psi_tiles group by grp, tile) t
  ),
  psi_value_bins as (
    select grp, upper_edge,
      lag(upper_edge) over (partition by grp order by upper_edge) as lower_edge,
      row_number() over (partition by grp order by upper_edge) as bin,
      count(*) over (partition by grp) as value_bins
    from psi_edges
  ),
  psi_groups as (
    select g.grp,
      (select count(*) from psi_ref r where r.grp = g.grp) as n_ref,
      (select cast(coalesce(sum(c.w), 0) as {{ bigint }}) from psi_cur c where c.grp = g.grp) as n_cur,
      (select count(*) from psi_ref r where r.grp = g.grp and r.v is null)
        + (select cast(coalesce(sum(c.w), 0) as {{ bigint }}) from psi_cur c where c.grp = g.grp and c.v is null)
        as n_missing
    from (select distinct grp from psi_ref) g
  ),
  psi_all_bins as (
    select grp, bin, lower_edge, upper_edge, value_bins from psi_value_bins
    union all
    select g.grp, 0 as bin, null as lower_edge, null as upper_edge,
      coalesce((select max(value_bins) from psi_value_bins b where b.grp = g.grp), 0) as value_bins
    from psi_groups g where g.n_missing > 0
  ),
  psi_assigned_ref as (
    select r.grp, coalesce(b.bin, 0) as bin from psi_ref r
    left join psi_value_bins b on b.grp = r.grp and r.v is not null
      and (b.lower_edge is null or r.v > b.lower_edge)
      and (b.bin = b.value_bins or r.v <= b.upper_edge)
  ),
  psi_assigned_cur as (
    select c.grp, coalesce(b.bin, 0) as bin, c.w from psi_cur c
    join psi_groups g on g.grp = c.grp
    left join psi_value_bins b on b.grp = c.grp and c.v is not null
      and (b.lower_edge is null or c.v > b.lower_edge)
      and (b.bin = b.value_bins or c.v <= b.upper_edge)
  ),
  psi_counts as (
    select ab.grp, ab.bin,
      (select count(*) from psi_assigned_ref r where r.grp = ab.grp and r.bin = ab.bin) as ref_count,
      (select cast(coalesce(sum(c.w), 0) as {{ bigint }}) from psi_assigned_cur c
       where c.grp = ab.grp and c.bin = ab.bin) as cur_count
    from psi_all_bins ab
  ),
  psi_bins_n as (
    select grp, count(*) as bins from psi_all_bins group by grp
  ),
  psi_terms as (
    select c.grp, c.bin, g.n_ref, g.n_cur, bn.bins,
      (c.ref_count + {{ eps }}) / (g.n_ref + {{ eps }} * bn.bins) as ref_share,
      (c.cur_count + {{ eps }}) / (g.n_cur + {{ eps }} * bn.bins) as cur_share
    from psi_counts c
    join psi_groups g on g.grp = c.grp
    join psi_bins_n bn on bn.grp = c.grp
  )
  select t.grp as {{ group_col }}, t.bin, b.lower_edge, b.upper_edge, t.bins, t.n_ref, t.n_cur,
    c.ref_count, c.cur_count, t.ref_share, t.cur_share,
    case when t.n_ref > 0 and t.n_cur > 0
      then (t.cur_share - t.ref_share) * ln(t.cur_share / t.ref_share) end as psi_term
  from psi_terms t
  join psi_counts c on c.grp = t.grp and c.bin = t.bin
  join psi_all_bins b on b.grp = t.grp and b.bin = t.bin
{%- endmacro %}

{#- One row per group of a psi_bins result: bins, n_ref, n_cur, psi (sum of the terms; NULL when
    either side has no rows) and the sampling-noise levels of that PSI. -#}
{% macro psi_summary(binned, group_col) -%}
  select {{ group_col }},
    max(bins) as bins, max(n_ref) as n_ref, max(n_cur) as n_cur,
    case when max(n_ref) > 0 and max(n_cur) > 0 then sum(psi_term) end as psi,
    {{ leadscore.psi_noise_expected('max(bins)', 'max(n_ref)', 'max(n_cur)') }} as psi_noise_expected,
    {{ leadscore.psi_noise_critical('max(bins)', 'max(n_ref)', 'max(n_cur)') }} as psi_noise_critical
  from {{ binned }}
  group by {{ group_col }}
{%- endmacro %}

{% macro psi(reference, current, group_col, value_col='value', n_bins=10, epsilon=0.5) -%}
  with psi_binned as (
    {{ leadscore.psi_bins(reference, current, group_col, value_col, n_bins, epsilon) }}
  )
  {{ leadscore.psi_summary('psi_binned', group_col) }}
{%- endmacro %}
