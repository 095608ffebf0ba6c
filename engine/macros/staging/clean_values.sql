{#-
  Cleaning helpers for the staging "checked" models. Each *_columns macro emits two
  select items from the raw text column `<from_alias>.<col>`:
    <col>          the typed value, NULL when missing or unusable;
    <col>__issue   why a present value was unusable (NULL when fine or missing);
    <col>__raw     the text as read, so the issue report can show it.
  data_quality_issues turns every *__issue column into rows, so a check written here
  is automatically reported there.
-#}

{% macro text_value(col) -%}
  nullif(trim({{ col }}), '')
{%- endmacro %}

{% macro code_value(col) -%}
  {#- Codes and vocabulary keys: trimmed and lower-cased. -#}
  lower(nullif(trim({{ col }}), ''))
{%- endmacro %}

{% macro number_columns(col, allow_capped_500=false, from_alias='r') -%}
  {#- Non-negative finite number up to 1e12. "1,234" is read as 1234; with allow_capped_500,
      "500+" is read as 500. -#}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col) -%}
  {%- set digits = "replace(" ~ txt ~ ", ',', '')" -%}
  {%- if allow_capped_500 -%}{%- set digits = "replace(" ~ digits ~ ", '500+', '500')" -%}{%- endif -%}
  {%- set num = leadscore.try_cast(digits, leadscore.type_double()) -%}
  case when {{ num }} >= 0 and {{ num }} <= 1e12 then {{ num }} end as {{ col }},
  case when {{ txt }} is not null and {{ num }} is null then 'not a number'
       when {{ num }} < 0 then 'negative value'
       -- NaN, infinity and absurd magnitudes ("1e300") are not counts
       when not ({{ num }} >= 0 and {{ num }} <= 1e12) then 'not a finite number up to 1e12'
  end as {{ col }}__issue,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}

{% macro boolean_columns(col, from_alias='r') -%}
  {%- set code = leadscore.code_value(from_alias ~ '.' ~ col) -%}
  case when {{ code }} in ('true', 't', 'yes', 'y', '1') then true
       when {{ code }} in ('false', 'f', 'no', 'n', '0') then false end as {{ col }},
  case when {{ code }} is not null
        and {{ code }} not in ('true', 't', 'yes', 'y', '1', 'false', 'f', 'no', 'n', '0')
       then 'not true/false' end as {{ col }}__issue,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}

{% macro timestamp_columns(col, from_alias='r') -%}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col) -%}
  {%- set ts = leadscore.parse_timestamp(txt) -%}
  {{ ts }} as {{ col }},
  case when {{ txt }} is not null and {{ ts }} is null then 'not an ISO-8601 timestamp' end as {{ col }}__issue,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}

{% macro enum_columns(col, vocabulary_column, from_alias='r') -%}
  {#- `vocabulary_column` is the matching column of a left-joined vocabulary seed. -#}
  {{ vocabulary_column }} as {{ col }},
  case when {{ leadscore.code_value(from_alias ~ '.' ~ col) }} is not null and {{ vocabulary_column }} is null
       then 'not an allowed value' end as {{ col }}__issue,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}

{% macro email_columns(col, from_alias='r') -%}
  {%- set txt = leadscore.text_value(from_alias ~ '.' ~ col) -%}
  case when {{ txt }} like '%_@_%.%' then lower({{ txt }}) end as {{ col }},
  case when {{ txt }} not like '%_@_%.%' then 'not an e-mail address' end as {{ col }}__issue,
  {{ from_alias }}.{{ col }} as {{ col }}__raw
{%- endmacro %}

{#- ISO-8601 text -> timestamp in UTC (offsets honoured), NULL when unparseable. -#}
{% macro parse_timestamp(expr) -%}
  {{ return(adapter.dispatch('parse_timestamp', 'leadscore')(expr)) }}
{%- endmacro %}

{% macro default__parse_timestamp(expr) -%}
  {{ leadscore.try_cast(expr, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expr) -%}
  timezone('UTC', try_cast({{ expr }} as timestamptz))
{%- endmacro %}
