{#-
  leadscore.scoring_as_of(latest_events_sql=none): the point in time the scoring features
  describe, as a SQL timestamp expression, for an input project's feature models.
  - var `as_of` (of the calling project; absent = empty) set (e.g. '2026-10-31' or
    '2026-10-31 08:00:00'): that moment, a backfill. The value is validated (a real calendar
    date, not after the build's own time; backfill_as_of) and only its normalised form is
    spliced, so it cannot inject SQL.
  - var empty: midnight after the latest event, where `latest_events_sql` is a select whose
    column latest_at holds the candidate latest events (e.g. the latest activity); the same
    files always give the same features. Staging has already rejected events after the
    build's own time (timestamp_columns), so one far-future date cannot drag the as-of. A
    project without an event log passes none and must set as_of.
  Features use events strictly before this moment.
-#}
{% macro scoring_as_of(latest_events_sql=none) -%}
  {%- set as_of = leadscore.backfill_as_of() -%}
  {%- if as_of is not none -%}
    cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
  {%- elif latest_events_sql is none -%}
    {{ exceptions.raise_compiler_error(
        "var as_of must be set (a date or timestamp like 2026-10-31): this project has no "
        ~ "event log to default the scoring moment from") }}
  {%- else -%}
    (select {{ dbt.dateadd('day', 1, dbt.date_trunc('day', 'max(latest_at)')) }}
     from ({{ latest_events_sql }}) as latest)
  {%- endif -%}
{%- endmacro %}

{#- var as_of when set, validated and normalised to UTC 'YYYY-MM-DD HH:MM:SS' (timestamp_text_var):
    the build then describes that moment, a backfill; none for a build of the current data. The
    one test of "a backfill" (the scoring moment, the leads of that moment, the list's name). -#}
{% macro backfill_as_of() -%}
  {{ return(leadscore.timestamp_text_var('as_of')) }}
{%- endmacro %}
