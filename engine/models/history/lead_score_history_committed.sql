{#-
  The durable score history: the rows of lead_score_history of every COMMITTED build. A build
  is committed only when it succeeded - every model and test of a `dbt build` passed (the
  on-run-end hook leadscore.commit_build_on_run_end) or, through `leadscore build` /
  `leadscore publish`, once it was published (leadscore.commit_build). Nothing a failed or
  killed build computed ever lands here.

  This model never adds a row itself (commit_build does): dbt only creates the table when it
  is missing - empty, or seeded once from the lead_score_history TABLE earlier versions of the
  engine kept - and never rebuilds it (full_refresh: false; history cannot be recomputed).
-#}
{{ config(materialized='incremental', incremental_strategy='append', full_refresh=false,
          on_schema_change='append_new_columns',
          partition_by=(['model_version', 'feature_as_of'] if target.type == 'spark' else none)) }}

{%- set legacy = adapter.get_relation(this.database, this.schema, 'lead_score_history') if execute else none %}

{#- no rows, the history's columns: a history committed before a column existed gains it
    (on_schema_change) -#}
{{ leadscore.this_build_scores(ref('lead_scores'), ref('model_card')) }}
where 1 = 0
{%- if not is_incremental() and legacy is not none and legacy.is_table %}
{#- the legacy table has no first_scored_at: its scored_at stands in (see first_scored_at) #}
union all
select
{%- for column in leadscore.score_history_columns() %}
    {{ 'scored_at as first_scored_at' if column == 'first_scored_at' else column }}{{ ',' if not loop.last }}
{%- endfor %}
from {{ legacy }}
{%- endif %}
