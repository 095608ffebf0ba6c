{#-
  Cleaning helpers for the staging "checked" models. Each *_columns macro emits two
  select items from the raw text column `<from_alias>.<col>`:
    <col>          the typed value, NULL when missing or unusable;
    <col>__issue   why a present value was unusable (NULL when fine or missing);
    <col>__raw     the text as read when it gave no value (missing or unusable), so the
                   issue report can show it; NULL when the value was used.
  data_quality_issues turns every *__issue column into rows, so a check written here
  is automatically reported there.
-#}

{#- <col>__raw of a column whose typed value is non-NULL exactly when `usable` is true. The
    text of a used value is not kept: it doubled what the checked tables write (16 text
    columns of every lead, the timestamps of every activity: 10 s of a 10M-lead build). -#}
{% macro unused_raw(col, from_alias, usable) -%}
  case when {{ usable }} then null else {{ from_alias }}.{{ col }} end as {{ col }}__raw
{%- endmacro %}

{#- Trimmed text, NULL when blank. all_whitespace: tabs, carriage returns and line feeds are
    trimmed too, not only spaces - for the keys an opt-out or a contact reaches its lead by (a
    tab or CR pasted around an id or e-mail must not void it). Not the default: on DuckDB it
    costs ~2x trim(), too much for every value of 100M events. -#}
{% macro text_value(col, all_whitespace=false) -%}
  {%- if all_whitespace -%}
  nullif(trim(both ' ' || chr(9) || chr(10) || chr(13) from {{ col }}), '')
  {%- else -%}
  nullif(trim({{ col }}), '')
  {%- endif -%}
{%- endmacro %}

{% macro code_value(col) -%}
  {#- Codes and vocabulary keys: trimmed and lower-cased. -#}
  lower(nullif(trim({{ col }}), ''))
{%- endmacro %}

{#- Numbers are parsed once per column, in a CTE before the select that checks them:
    number_parsed(col) emits <col>__text (trimmed, NULL when empty) and <col>__number (the
    parsed double, NULL when unparseable); number_columns(col) then reads those two columns.
    Written inline instead, the parse expression repeats a dozen times per column, and Spark's
    optimizer runs out of memory on the wide staging select. -#}
{% macro number_parsed(col, allow_capped_500=false, from_alias='r') -%}
  {#- A comma is a thousands separator only in a valid thousands pattern ("1,234",
      "12,345.5"): "2,5" or "10,75" (decimal commas) stay unparseable, never 25 or 1075.
      With allow_capped_500, "500+" is read as 500. -#}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col) -%}
  {%- set thousands = leadscore.matches_pattern(txt, '[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') -%}
  {%- set digits = "case when " ~ txt ~ " not like '%,%' then " ~ txt
                   ~ " when " ~ thousands ~ " then replace(" ~ txt ~ ", ',', '') end" -%}
  {%- if allow_capped_500 -%}{%- set digits = "replace(" ~ digits ~ ", '500+', '500')" -%}{%- endif -%}
  {{ txt }} as {{ col }}__text,
  {{ leadscore.try_cast(digits, leadscore.type_double()) }} as {{ col }}__number
{%- endmacro %}

{% macro number_columns(col, from_alias='r', whole=false) -%}
  {#- Non-negative finite number up to 1e12; with whole, a whole number (a count: "2.5"
      is an issue, never rounded). Reads <col>__text / <col>__number from number_parsed. -#}
  {%- set txt = from_alias ~ '.' ~ col ~ '__text' -%}
  {%- set num = from_alias ~ '.' ~ col ~ '__number' -%}
  {%- set usable = num ~ " >= 0 and " ~ num ~ " <= 1e12" ~ (" and " ~ num ~ " = floor(" ~ num ~ ")" if whole else "") -%}
  case when {{ usable }} then {{ num }} end as {{ col }},
  case when {{ txt }} like '%,%' and {{ num }} is null
       then 'not a number (a comma is read only as a thousands separator, as in 1,234)'
       when {{ txt }} is not null and {{ num }} is null then 'not a number'
       when {{ num }} < 0 then 'negative value'
       -- NaN, infinity and absurd magnitudes ("1e300") are not counts
       when not ({{ num }} >= 0 and {{ num }} <= 1e12) then 'not a finite number up to 1e12'
       {%- if whole %}
       when {{ num }} <> floor({{ num }}) then 'not a whole number'
       {%- endif %}
  end as {{ col }}__issue,
  {{ leadscore.unused_raw(col, from_alias, usable) }}
{%- endmacro %}

{% macro boolean_columns(col, from_alias='r') -%}
  {%- set code = leadscore.code_value(from_alias ~ '.' ~ col) -%}
  {%- set words = "('true', 't', 'yes', 'y', '1', 'false', 'f', 'no', 'n', '0')" -%}
  case when {{ code }} in ('true', 't', 'yes', 'y', '1') then true
       when {{ code }} in ('false', 'f', 'no', 'n', '0') then false end as {{ col }},
  case when {{ code }} is not null and {{ code }} not in {{ words }}
       then 'not true/false' end as {{ col }}__issue,
  {{ leadscore.unused_raw(col, from_alias, code ~ ' in ' ~ words) }}
{%- endmacro %}

{#- Timestamps are parsed once per column, like numbers: timestamp_parsed(col) in a CTE over the
    raw rows emits <col>__timestamp (the parsed UTC value, NULL when blank or unparseable);
    timestamp_columns(col) in the select over it reads that and the text. Inline, the parse
    ran five times per value: a fifth of the activities' staging at 100M events. -#}
{% macro timestamp_parsed(col, from_alias='r') -%}
  {{ leadscore.parse_timestamp(from_alias ~ '.' ~ col) }} as {{ col }}__timestamp
{%- endmacro %}

{#- ISO-8601 timestamp (UTC unless it carries an offset). A time after the build's own time
    (plus future_tolerance_hours()) has not happened yet: it is an issue, and NULL. -#}
{% macro timestamp_columns(col, from_alias='r') -%}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col) -%}
  {%- set ts = from_alias ~ '.' ~ col ~ '__timestamp' -%}
  {%- set latest = "cast('" ~ leadscore.latest_plausible_time().strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
  case when {{ ts }} <= {{ latest }} then {{ ts }} end as {{ col }},
  case when {{ ts }} is null and {{ txt }} is not null then 'not an ISO-8601 timestamp'
       when {{ ts }} > {{ latest }}
       then 'in the future: after the build started ({{ run_started_at.strftime('%Y-%m-%d %H:%M') }} UTC) by more than {{ leadscore.future_tolerance_hours() }} hours'
  end as {{ col }}__issue,
  {{ leadscore.unused_raw(col, from_alias, ts ~ ' <= ' ~ latest) }}
{%- endmacro %}

{% macro enum_columns(col, vocabulary_column, from_alias='r', code=none) -%}
  {#- `vocabulary_column` is the matching column of a vocabulary seed left-joined on the raw
      value's code; `code` is that code when a CTE already computed it (default: computed here). -#}
  {%- set code = code or leadscore.code_value(from_alias ~ '.' ~ col) -%}
  {{ vocabulary_column }} as {{ col }},
  case when {{ code }} is not null and {{ vocabulary_column }} is null
       then 'not an allowed value' end as {{ col }}__issue,
  {{ leadscore.unused_raw(col, from_alias, vocabulary_column ~ ' is not null') }}
{%- endmacro %}

{% macro email_columns(col, from_alias='r', all_whitespace=false) -%}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col, all_whitespace) -%}
  case when {{ txt }} like '%_@_%.%' then lower({{ txt }}) end as {{ col }},
  case when {{ txt }} not like '%_@_%.%' then 'not an e-mail address' end as {{ col }}__issue,
  {{ leadscore.unused_raw(col, from_alias, txt ~ " like '%_@_%.%'") }}
{%- endmacro %}

{#- Why a row whose required timestamp `col` (from timestamp_columns) is NULL cannot be used:
    'missing occurred_at', 'occurred_at not an ISO-8601 timestamp', 'occurred_at in the
    future: ...'. -#}
{% macro unusable_timestamp_reason(col) -%}
coalesce('{{ col }} ' || {{ col }}__issue, 'missing {{ col }}')
{%- endmacro %}

{#- ISO-8601 text as read -> timestamp in UTC (offsets honoured), NULL when unparseable or
    blank; surrounding spaces are ignored. A text without an offset is UTC: on DuckDB the
    session time zone is pinned to UTC (profiles.yml; checked by validate_vars at the start of
    every run). -#}
{% macro parse_timestamp(expr) -%}
  {{ return(adapter.dispatch('parse_timestamp', 'leadscore')(expr)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expr) -%}
  {{ leadscore.try_cast(leadscore.text_value(expr), dbt.type_timestamp()) }}
{%- endmacro %}

{#- DuckDB's cast skips surrounding whitespace itself (and a blank text is NULL): no trim, which
    cost a quarter of the parse at 100M events. -#}
{% macro duckdb__parse_timestamp(expr) -%}
  timezone('UTC', try_cast({{ expr }} as timestamptz))
{%- endmacro %}

{#- `expr` matches the regular expression `pattern` as a whole (NULL for NULL). -#}
{% macro matches_pattern(expr, pattern) -%}
  {{ return(adapter.dispatch('matches_pattern', 'leadscore')(expr, pattern)) }}
{%- endmacro %}

{#- Spark, Databricks, Snowflake, MySQL, Oracle: regexp_like, anchored. -#}
{% macro default__matches_pattern(expr, pattern) -%}
  regexp_like({{ expr }}, '^({{ pattern }})$')
{%- endmacro %}

{% macro duckdb__matches_pattern(expr, pattern) -%}
  regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__matches_pattern(expr, pattern) -%}
  ({{ expr }} ~ '^({{ pattern }})$')
{%- endmacro %}
