{#-
  Committing a build: the ONLY way a build's scores reach the durable score history
  (lead_score_history_committed) and its outreach list reaches <var export_dir>. A build that
  failed - a model error, a failing data test, a skipped node, a failed or killed publish -
  is never committed, so it leaves no trace in either.

  - `dbt build` run directly: the on-run-end hook commit_build_on_run_end commits when the run
    was a `dbt build` in which every node passed, and only what the run built and tested from
    scratch: the history when lead_score_history and everything upstream of it was built and
    tested in this run, the outreach list likewise for outreach_export (so `dbt run`, or a
    `dbt build --select` of a few models on top of older tables, commits nothing).
  - `leadscore build` (environment LEADSCORE_COMMIT_ON_RUN_END=false, see commit_on_run_end):
    dbt commits nothing; after the build's tables are published, leadscore runs
    `dbt run-operation leadscore.commit_build`.
-#}
{% macro commit_build_on_run_end(results) -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- if not leadscore.commit_on_run_end() -%}
    {{ log("commit: left to leadscore publish (commit_on_run_end is false)", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {#- the statuses leadscore.publish accepts too (no-op: an exposure, nothing to run) -#}
  {%- set bad = results | rejectattr('status', 'in', ['success', 'pass', 'warn', 'no-op']) | list -%}
  {%- if flags.WHICH != 'build' or bad -%}
    {{ log("commit: nothing committed (" ~ ((bad | length) ~ " node(s) did not pass" if bad
           else "`dbt " ~ flags.WHICH ~ "` is not a `dbt build`") ~ "): lead_score_history and "
           ~ "the outreach export are left as they were", info=true) }}
    {{ return('') }}
  {%- endif -%}
  {#- the list first: writing a file is what fails (a path, permissions), and then the history
      is left as it was -#}
  {%- if leadscore.built_and_tested(results, 'outreach_export') -%}
    {%- do leadscore.export_outreach_list() -%}
  {%- endif -%}
  {%- if leadscore.built_and_tested(results, 'lead_score_history') -%}
    {%- do leadscore.commit_score_history() -%}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}

{#- Whether a green `dbt build` commits itself: the environment variable
    LEADSCORE_COMMIT_ON_RUN_END (true/false) when set - `leadscore build` sets it - else var
    commit_on_run_end. An environment variable read only while running, not a var: dbt discards
    its saved parse whenever the vars differ, so a var set by `leadscore build` alone would
    cost a full parse each time it alternates with a plain `dbt build`. -#}
{% macro commit_on_run_end() -%}
  {%- set from_env = env_var('LEADSCORE_COMMIT_ON_RUN_END', '') | trim | lower -%}
  {%- if from_env == '' -%}
    {{ return(leadscore.checked_var('commit_on_run_end')) }}
  {%- elif from_env not in ('true', 'false') -%}
    {{ exceptions.raise_compiler_error("Invalid environment variable LEADSCORE_COMMIT_ON_RUN_END="
                                       ~ from_env ~ ": expected true or false") }}
  {%- endif -%}
  {{ return(from_env == 'true') }}
{%- endmacro %}

{#- `dbt run-operation leadscore.commit_build --args '{export_date: YYYYMMDD}'`: leadscore
    commits a build it has checked and published (leadscore.publish checks run_results.json
    first); export_date = the day the build started. -#}
{% macro commit_build(export_date=none) -%}
  {%- do leadscore.export_outreach_list(export_date) -%}
  {%- do leadscore.commit_score_history() -%}
{%- endmacro %}

{#- This build's (model_version, feature_as_of) partition of the history replaces the committed
    one, in one transaction (a kill before its commit rolls both statements back). -#}
{% macro commit_score_history() -%}
  {%- set store = leadscore.model_relation('lead_score_history_committed') -%}
  {%- set scores = leadscore.model_relation('lead_scores') -%}
  {%- do leadscore.add_first_scored_at(store) -%}
  {%- set this_build = leadscore.this_build_scores(scores, leadscore.model_relation('model_card'), store) -%}
  {%- do leadscore.replace_history_partition(store, leadscore.score_history_columns() | join(', '), this_build) -%}
  {#- one history row per score: count the scores, not the rows' select again (it joins the store) -#}
  {{ log("commit: lead_score_history now holds this build's scores ("
         ~ run_query("select count(*) from " ~ scores).rows[0][0] ~ " rows)", info=true) }}
{%- endmacro %}

{#- A history committed by an engine without first_scored_at gains it here too, not only when a
    build runs lead_score_history_committed (on_schema_change): a build made by the older engine
    may be committed by this one (`leadscore publish`). -#}
{% macro add_first_scored_at(store) -%}
  {%- set table = adapter.get_relation(database=store.database, schema=store.schema, identifier=store.identifier) -%}
  {%- if table is none -%}
    {{ exceptions.raise_compiler_error("commit: " ~ store ~ " does not exist: build it first") }}
  {%- endif -%}
  {%- if 'first_scored_at' not in adapter.get_columns_in_relation(table) | map(attribute='name') | map('lower') | list -%}
    {%- do alter_relation_add_remove_columns(table, [api.Column.create('first_scored_at', dbt.type_timestamp())], none) -%}
  {%- endif -%}
{%- endmacro %}

{#- Replace the (model_version, feature_as_of) partition(s) of `store` by the rows of the select
    `rows_sql`, atomically. -#}
{% macro replace_history_partition(store, columns, rows_sql) -%}
  {{ return(adapter.dispatch('replace_history_partition', 'leadscore')(store, columns, rows_sql)) }}
{%- endmacro %}

{#- delete + insert in one transaction (a kill before its commit rolls both back). The rows
    are kept in a temporary table first: they read the partition the delete removes
    (first_scored_at). -#}
{% macro default__replace_history_partition(store, columns, rows_sql) -%}
  {%- call statement('commit_score_history', auto_begin=True) -%}
    create temporary table leadscore_commit_rows as select {{ columns }} from ({{ rows_sql }}) as b;
    delete from {{ store }}
    where (model_version, feature_as_of) in (select distinct model_version, feature_as_of from leadscore_commit_rows);
    insert into {{ store }} ({{ columns }}) select {{ columns }} from leadscore_commit_rows;
    drop table leadscore_commit_rows
  {%- endcall -%}
  {%- do adapter.commit() -%}
{%- endmacro %}

{#- Spark (plain tables cannot delete): a dynamic partition overwrite, as dbt-spark's
    insert_overwrite strategy does; the store is partitioned by (model_version, feature_as_of),
    the last two columns. Spark cannot overwrite a table its query reads (first_scored_at), so
    the rows go through a staging table; a kill before the overwrite leaves the history as it
    was and the staging table to the next commit, which replaces it. -#}
{% macro spark__replace_history_partition(store, columns, rows_sql) -%}
  {%- set staging = store.incorporate(path={"identifier": store.identifier ~ "__commit_rows"}) -%}
  {%- do run_query("drop table if exists " ~ staging) -%}
  {%- do run_query("create table " ~ staging ~ " using parquet as select " ~ columns
                   ~ " from (" ~ rows_sql ~ ") as b") -%}
  {%- do run_query("set spark.sql.sources.partitionOverwriteMode = DYNAMIC") -%}
  {%- do run_query("insert overwrite table " ~ store ~ " partition (model_version, feature_as_of) "
                   ~ "select " ~ columns ~ " from " ~ staging) -%}
  {%- do run_query("drop table " ~ staging) -%}
{%- endmacro %}

{#- The history rows of the scores in `scores` (lead_scores) from the model in `card`.
    first_scored_at: when the history first held this (model, as-of, lead) score - from `store`,
    the committed history, when a run of the same model and as-of committed the same score before
    (a rebuild must not move the moment the list existed, which judges the contacts made since);
    else now (a new score, e.g. from activities that arrived late, did not exist before).
    The partition key (model_version, feature_as_of) comes last: Spark stores partition columns
    after the others (and adds a new column before them), so this order gives the same table on
    every adapter. -#}
{% macro this_build_scores(scores, card, store=none) -%}
select
    s.lead_id,
    s.scored_at,
    s.engagement_score,
    s.raw_score,
    s.score_rank,
    s.score_percentile,
    s.priority,
    card.trained_through as model_trained_through,
    {%- if store is not none %}
    case when before.engagement_score = s.engagement_score then {{ leadscore.first_scored_at('before') }}
         else s.scored_at end as first_scored_at,
    {%- else %}
    s.scored_at as first_scored_at,
    {%- endif %}
    s.model_version,
    s.feature_as_of
from {{ scores }} as s
cross join {{ card }} as card
{%- if store is not none %}
left join (
    {#- only the partition this build replaces: the store holds every committed as-of #}
    select b.lead_id, b.model_version, b.feature_as_of, b.engagement_score, b.scored_at, b.first_scored_at
    from {{ store }} as b
    inner join (select distinct model_version, feature_as_of from {{ scores }}) as replaced
      on b.model_version = replaced.model_version and b.feature_as_of = replaced.feature_as_of
) as before
  on before.model_version = s.model_version
 and before.feature_as_of = s.feature_as_of
 and before.lead_id = s.lead_id
{%- endif %}
{%- endmacro %}

{#- A committed history row's first_scored_at. NULL in rows committed before the column
    existed (a history that gained it): there the latest known run, scored_at, stands in. -#}
{% macro first_scored_at(alias) -%}
coalesce({{ alias }}.first_scored_at, {{ alias }}.scored_at)
{%- endmacro %}

{% macro score_history_columns() -%}
  {{ return(['lead_id', 'scored_at', 'engagement_score', 'raw_score', 'score_rank', 'score_percentile',
             'priority', 'model_trained_through', 'first_scored_at', 'model_version', 'feature_as_of']) }}
{%- endmacro %}

{#- The relation of the engine model `name` (hooks and operations cannot ref()). -#}
{% macro model_relation(name) -%}
  {%- set node = leadscore.engine_model_node(name) -%}
  {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}

{% macro engine_model_node(name) -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == 'leadscore'
        and node.name == name -%}
    {{ return(node) }}
  {%- endfor -%}
  {{ exceptions.raise_compiler_error("engine model " ~ name ~ " is not in this project (is it disabled?)") }}
{%- endmacro %}

{#-
  True when model `name` and every model, seed and snapshot upstream of it were built in this
  run, and every data test on them ran: all of them passed (results holds only passes here).
-#}
{% macro built_and_tested(results, name) -%}
  {%- set passed = results | map(attribute='node') | map(attribute='unique_id') | list -%}
  {%- set upstream = leadscore.upstream_nodes(leadscore.engine_model_node(name).unique_id) -%}
  {%- set missing = [] -%}
  {#- an ephemeral model never runs (its SQL is inlined into its children): never missing -#}
  {%- for uid in upstream if uid not in passed and graph.nodes[uid].config.materialized != 'ephemeral' -%}
    {%- do missing.append(uid) -%}
  {%- endfor -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'test' and node.unique_id not in passed -%}
    {%- set parents = node.depends_on.nodes | select('in', graph.nodes) | list -%}
    {%- if parents and parents | reject('in', upstream) | list | length == 0 -%}{%- do missing.append(node.unique_id) -%}{%- endif -%}
  {%- endfor -%}
  {%- if missing -%}
    {{ log("commit: " ~ name ~ " not committed: not built and tested from scratch in this run ("
           ~ missing[:3] | join(', ') ~ (" and " ~ (missing | length - 3) ~ " more" if missing | length > 3 else "")
           ~ " did not run)", info=true) }}
  {%- endif -%}
  {{ return(not missing) }}
{%- endmacro %}

{#- unique_ids of the models, seeds and snapshots `uid` depends on, and `uid` itself. -#}
{% macro upstream_nodes(uid) -%}
  {%- set ns = namespace(frontier=[uid]) -%}
  {%- set seen = [uid] -%}
  {%- for level in range(1000) if ns.frontier -%}
    {%- set next = [] -%}
    {%- for node_id in ns.frontier -%}
      {%- for dep in graph.nodes[node_id].depends_on.nodes
            if dep in graph.nodes and dep not in seen
            and graph.nodes[dep].resource_type in ('model', 'seed', 'snapshot') -%}
        {%- do seen.append(dep) -%}
        {%- do next.append(dep) -%}
      {%- endfor -%}
    {%- endfor -%}
    {%- set ns.frontier = next -%}
  {%- endfor -%}
  {{ return(seen) }}
{%- endmacro %}

{#- On-run-start: the build database records which dbt invocation last wrote to it, before any
    model runs. leadscore publish copies tables only from the build whose run_results.json it
    reads (BUILD_INVOCATION_TABLE in leadscore.publish): a build killed half-way leaves the old
    run_results.json beside half-rebuilt tables, and a --db of another build has another id.
    DuckDB only: publish reads DuckDB. -#}
{% macro record_build_invocation() -%}
  {{ return(adapter.dispatch('record_build_invocation', 'leadscore')()) }}
{%- endmacro %}

{% macro default__record_build_invocation() -%}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__record_build_invocation() -%}
  {%- if execute and flags.WHICH in ('build', 'run', 'seed', 'snapshot') -%}
    {%- do run_query("create or replace table " ~ adapter.quote(target.schema) ~ ".leadscore_build_invocation as "
        ~ "select '" ~ invocation_id ~ "' as invocation_id, '" ~ flags.WHICH ~ "' as command") -%}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}
