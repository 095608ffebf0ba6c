{#-
  leadscore.scoring_as_of(latest_events_sql): the point in time the scoring features describe, as a SQL
  timestamp expression, for an input project's feature models.
  - var `as_of` (of the calling project; absent = empty) set (e.g. '2026-10-31' or '2026-10-31 08:00:00'): that moment. The value is
    validated here and only ever spliced after validation, so it cannot inject SQL.
  - var empty (default): midnight after the latest event, where `latest_events_sql` is a
    select whose column latest_at holds the candidate latest events (e.g. the latest
    activity); the same files always give the same features.
  Features use events strictly before this moment.
-#}
{% macro scoring_as_of(latest_events_sql) -%}
  {%- set as_of = var('as_of', '') | string | trim -%}
  {%- if as_of -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', as_of) -%}
      {{ exceptions.raise_compiler_error(
          "var as_of must be a date or timestamp like 2026-10-31 or 2026-10-31 08:00:00, got: " ~ as_of) }}
    {%- endif -%}
    {{ leadscore.try_cast("'" ~ as_of | replace('T', ' ') ~ "'", dbt.type_timestamp()) }}
  {%- else -%}
    (select {{ dbt.dateadd('day', 1, dbt.date_trunc('day', 'max(latest_at)')) }}
     from ({{ latest_events_sql }}) as latest)
  {%- endif -%}
{%- endmacro %}
