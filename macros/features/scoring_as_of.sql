{#-
  scoring_as_of()
  The point in time lead_features describes, as a SQL timestamp expression.
  - var `as_of` set (e.g. '2026-10-31' or '2026-10-31 08:00:00'): that moment. The value is
    validated here and only ever spliced after validation, so it cannot inject SQL.
  - var empty (default): midnight after the latest activity in the data (the newest
    lead's creation when there are no activities), so the same
    files always give the same features (the bundled sample is reproducible).
  Features use activities strictly before this moment.
-#}
{% macro scoring_as_of() -%}
  {%- set as_of = var('as_of') | string | trim -%}
  {%- if as_of -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', as_of) -%}
      {{ exceptions.raise_compiler_error(
          "var as_of must be a date or timestamp like 2026-10-31 or 2026-10-31 08:00:00, got: " ~ as_of) }}
    {%- endif -%}
    {{ dbt.safe_cast("'" ~ as_of | replace('T', ' ') ~ "'", dbt.type_timestamp()) }}
  {%- else -%}
    (select {{ dbt.dateadd('day', 1, dbt.date_trunc('day', 'max(latest_at)')) }}
     from (select max(occurred_at) as latest_at from {{ ref('stg_activities') }}
           -- no activities at all: fall back to the newest lead
           union all select max(created_at) from {{ ref('stg_leads') }}
           where not exists (select 1 from {{ ref('stg_activities') }})) as latest)
  {%- endif -%}
{%- endmacro %}
