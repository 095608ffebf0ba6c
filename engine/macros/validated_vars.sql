{#-
  Validated dbt vars. Every var a model reads is declared, with its default, in
  dbt_project.yml (the one place for defaults); its type and range are declared once, in
  var_rules() below. checked_var(name) parses the value in Jinja, checks it against its rule
  and returns the parsed value; SQL is rendered from the parsed number (or an escaped string
  literal), never from the text the user passed, so a var cannot inject SQL. An invalid
  value stops the build with a message naming the var: validate_vars(), the engine's
  on-run-start hook, checks every var before any model runs (models also check the vars they
  use while dbt parses them).
-#}

{#- name -> rule: type (number, whole, probability, choice, text, boolean, timestamp), range,
    choices; optional = may be empty. -#}
{% macro var_rules() -%}
  {{ return({
    'model_dir': {'type': 'text'},
    'scoring_engine': {'type': 'choice', 'choices': ['auto', 'sql']},
    'scoring_batch_size': {'type': 'whole', 'min': 1, 'max': 100000000},
    'max_rejected_share': {'type': 'number', 'min': 0, 'max': 1},
    'max_not_applied_share': {'type': 'number', 'min': 0, 'max': 1},
    'as_of': {'type': 'timestamp', 'optional': true},
    'k': {'type': 'whole', 'min': 1, 'max': 2000000000},
    'threshold': {'type': 'probability', 'optional': true},
    'recontact_window_days': {'type': 'whole', 'min': 0, 'max': 100000},
    'phase1_k': {'type': 'whole', 'min': 1, 'max': 2000000000},
    'phase1_campaign_id': {'type': 'text'},
    'min_outcomes': {'type': 'whole', 'min': 1, 'max': 2000000000},
    'export_list': {'type': 'choice', 'choices': ['top_k', 'threshold', 'phase1', 'phase3']},
    'export_dir': {'type': 'text'},
    'commit_on_run_end': {'type': 'boolean'},
    'ab_seed': {'type': 'text'},
    'ab_model_share': {'type': 'number', 'min': 0, 'max': 1},
    'ab_alpha': {'type': 'number', 'min': 0.000001, 'max': 0.5},
    'ab_power': {'type': 'number', 'min': 0.5, 'max': 0.999999},
    'psi_epsilon': {'type': 'number', 'min': 0.000001, 'max': 100},
    'coverage_target_min': {'type': 'number', 'min': 0, 'max': 1},
    'coverage_target_max': {'type': 'number', 'min': 0, 'max': 1},
    'retrain_max_model_age_days': {'type': 'whole', 'min': 1, 'max': 100000},
    'retrain_min_new_outcomes': {'type': 'whole', 'min': 1, 'max': 100000000},
    'cost_per_contact': {'type': 'number', 'min': 0, 'max': 1000000000000, 'optional': true},
    'value_per_response': {'type': 'number', 'min': 0, 'max': 1000000000000, 'optional': true},
  }) }}
{%- endmacro %}

{#- The parsed value of engine var `name`, checked against its rule in var_rules(). -#}
{% macro checked_var(name) -%}
  {%- set rule = leadscore.var_rules()[name] -%}
  {%- set kind = rule['type'] -%}
  {%- if kind == 'number' and rule.get('optional') -%}
    {{- return(leadscore.optional_number_var(name, rule.get('min'), rule.get('max'))) -}}
  {%- elif kind in ('number', 'whole') -%}
    {{- return(leadscore.number_var(name, rule.get('min'), rule.get('max'), whole=(kind == 'whole'))) -}}
  {%- elif kind == 'probability' -%}
    {{- return(leadscore.probability_var(name)) -}}
  {%- elif kind == 'choice' -%}
    {{- return(leadscore.choice_var(name, rule['choices'])) -}}
  {%- elif kind == 'boolean' -%}
    {{- return(leadscore.boolean_var(name)) -}}
  {%- elif kind == 'timestamp' -%}
    {{- return(leadscore.timestamp_text_var(name)) -}}
  {%- else -%}
    {{- return(leadscore.text_literal_var(name)) -}}
  {%- endif -%}
{%- endmacro %}

{#- on-run-start: every engine var, the relations between them, and the session the build runs
    in; returns no SQL. -#}
{% macro validate_vars() -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- for name in leadscore.var_rules() -%}
    {%- do leadscore.checked_var(name) -%}
  {%- endfor -%}
  {%- if leadscore.checked_var('coverage_target_min') > leadscore.checked_var('coverage_target_max') -%}
    {{ exceptions.raise_compiler_error("Invalid dbt vars coverage_target_min=" ~ var('coverage_target_min')
                                       ~ " > coverage_target_max=" ~ var('coverage_target_max')) }}
  {%- endif -%}
  {#- the export folder's own rule (no quote: it is spliced into a COPY) now, not at the commit
      after publishing -#}
  {%- do leadscore.export_dir() -%}
  {%- do leadscore.check_session_time_zone() -%}
  {%- do leadscore.check_build_database() -%}
  {{ return('') }}
{%- endmacro %}

{#- A number, optionally a whole number, within [min_value, max_value]. -#}
{% macro number_var(name, min_value=none, max_value=none, whole=false) -%}
  {%- set raw = var(name) -%}
  {%- set text = (raw | string) | trim -%}
  {%- set pattern = '[0-9]+' if whole else '-?[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?' -%}
  {%- if raw is sameas true or raw is sameas false or raw is none
        or not modules.re.fullmatch(pattern, text) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected "
        ~ ("a whole number" if whole else "a number")
        ~ (" >= " ~ min_value if min_value is not none else "")
        ~ (" and <= " ~ max_value if max_value is not none else "")) }}
  {%- endif -%}
  {%- set value = (text | int) if whole else (text | float) -%}
  {#- "1e400" matches the pattern and reads as infinity: refused, with or without a range -#}
  {%- if not whole and not ((value | abs) <= 1e300) -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected a finite number (at most 1e300)") }}
  {%- endif -%}
  {%- if (min_value is not none and value < min_value) or (max_value is not none and value > max_value) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": must be "
        ~ ("a whole number " if whole else "")
        ~ ">= " ~ min_value ~ (" and <= " ~ max_value if max_value is not none else "")) }}
  {%- endif -%}
  {{- return(value) -}}
{%- endmacro %}

{#- An optional probability strictly inside (0, 1); none when the var is empty. -#}
{% macro probability_var(name) -%}
  {%- set raw = var(name) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{- return(none) -}}
  {%- endif -%}
  {%- set text = (raw | string) | trim -%}
  {%- if raw is sameas true or raw is sameas false
        or not modules.re.fullmatch('[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?', text) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected a number strictly between 0 and 1") }}
  {%- endif -%}
  {%- set value = text | float -%}
  {%- if not (value > 0 and value < 1) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": must be strictly between 0 and 1") }}
  {%- endif -%}
  {{- return(value) -}}
{%- endmacro %}

{#- A non-empty text var as an escaped SQL string literal (single quotes doubled). -#}
{% macro text_literal_var(name) -%}
  {%- set raw = var(name) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ ": must not be empty") }}
  {%- endif -%}
  {#- true / false / a list / a mapping would pass as their Python text ("False", "['/x']") -#}
  {%- if raw is sameas true or raw is sameas false or raw is mapping
        or (raw is iterable and raw is not string) -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ "=" ~ (raw | string)[:60] ~ ": expected text") }}
  {%- endif -%}
  {{- return("'" ~ ((raw | string) | replace("'", "''")) ~ "'") -}}
{%- endmacro %}

{#- One of a fixed set of names. -#}
{% macro choice_var(name, choices) -%}
  {%- set raw = (var(name) | string) | trim -%}
  {%- if raw not in choices -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ raw[:60] ~ ": expected one of " ~ (choices | join(', '))) }}
  {%- endif -%}
  {{- return(raw) -}}
{%- endmacro %}

{#- true/false (YAML booleans, or the words true/false). -#}
{% macro boolean_var(name) -%}
  {%- set raw = var(name) -%}
  {%- if raw is sameas true or raw is sameas false -%}{{- return(raw) -}}{%- endif -%}
  {%- set text = (raw | string | trim | lower) -%}
  {%- if text not in ('true', 'false') -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected true or false") }}
  {%- endif -%}
  {{- return(text == 'true') -}}
{%- endmacro %}

{#- A moment var as a SQL timestamp expression (timestamp_text_var's checks; it must be set). -#}
{% macro timestamp_var(name) -%}
  {%- set text = leadscore.timestamp_text_var(name) -%}
  {%- if text is none -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ ": must be set (a date like 2026-10-31)") }}
  {%- endif -%}
  {{- return("cast('" ~ text ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{%- endmacro %}

{#-
  An optional moment: '' (none) or a real calendar date / time, 2026-10-31, 2026-10-31 08:00 or
  2026-10-31T08:00:00 (UTC unless it ends in Z or an offset such as +02:00, converted to UTC),
  at most future_tolerance_hours() after the build started. Returns the normalised UTC text
  'YYYY-MM-DD HH:MM:SS', or none when empty.
-#}
{% macro timestamp_text_var(name) -%}
  {%- set raw = var(name) -%}
  {%- set text = (raw | string | trim) if raw is not none else '' -%}
  {%- if text == '' -%}{{- return(none) -}}{%- endif -%}
  {%- set invalid = "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected a real date or time (UTC) like "
      ~ "2026-10-31, 2026-10-31 08:00 or 2026-10-31T08:00:00, or with an offset: 2026-10-31T08:00:00Z, "
      ~ "2026-10-31T10:00+02:00" -%}
  {%- set m = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:?[0-9]{2})?)?', text) -%}
  {%- set parts = [] -%}
  {%- if m -%}{%- for g in m.groups()[:6] -%}{%- do parts.append((g or '0') | int) -%}{%- endfor -%}{%- endif -%}
  {%- set offset = (m.group(7) or 'Z') if m else 'Z' -%}
  {%- set offset_minutes = 0 if offset == 'Z' else ((-1 if offset[0] == '-' else 1) * ((offset[1:3] | int) * 60 + (offset[-2:] | int))) -%}
  {#- a real offset lies between -12:00 and +14:00; years up to 9000 (no overflow below) -#}
  {%- if not m or not (1 <= parts[1] <= 12) or not (1 <= parts[2] <= leadscore.days_in_month(parts[0], parts[1]))
        or parts[3] > 23 or parts[4] > 59 or parts[5] > 59 or not (1800 <= parts[0] <= 9000)
        or not (-720 <= offset_minutes <= 840) or (offset != 'Z' and (offset[-2:] | int) > 59) -%}
    {{ exceptions.raise_compiler_error(invalid) }}
  {%- endif -%}
  {%- set value = modules.datetime.datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
                  - modules.datetime.timedelta(minutes=offset_minutes) -%}
  {%- if value.year < 1900 -%}{{ exceptions.raise_compiler_error(invalid) }}{%- endif -%}
  {%- set latest = leadscore.latest_plausible_time() -%}
  {%- if value > latest -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": after the build's own time ("
        ~ run_started_at.strftime('%Y-%m-%d %H:%M') ~ " UTC, plus " ~ leadscore.future_tolerance_hours()
        ~ " hours of tolerance)") }}
  {%- endif -%}
  {{- return(value.strftime('%Y-%m-%d %H:%M:%S')) -}}
{%- endmacro %}

{% macro days_in_month(year, month) -%}
  {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
  {{- return([31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]) -}}
{%- endmacro %}

{#-
  Raw timestamps and the as_of var may lie at most this far after the moment the build started
  (clock skew, a local time mislabelled as UTC); anything later is a data-quality issue.
-#}
{% macro future_tolerance_hours() -%}
  {{- return(24) -}}
{%- endmacro %}

{#- run_started_at + the tolerance, as a naive UTC datetime. -#}
{% macro latest_plausible_time() -%}
  {%- set started = modules.datetime.datetime(run_started_at.year, run_started_at.month, run_started_at.day,
                                               run_started_at.hour, run_started_at.minute, run_started_at.second) -%}
  {{- return(started + modules.datetime.timedelta(hours=leadscore.future_tolerance_hours())) -}}
{%- endmacro %}

{#- Naive timestamps in raw files are UTC: a DuckDB session in another time zone would shift
    them (profiles.yml pins it: settings: {TimeZone: UTC}). Other adapters: see their profile. -#}
{% macro check_session_time_zone() -%}
  {{ return(adapter.dispatch('check_session_time_zone', 'leadscore')()) }}
{%- endmacro %}

{% macro default__check_session_time_zone() -%}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__check_session_time_zone() -%}
  {%- set zone = run_query("select current_setting('TimeZone'), "
        ~ "timezone('UTC', timestamptz '2026-01-15 12:00:00') = timestamp '2026-01-15 12:00:00' "
        ~ "and timezone('UTC', timestamptz '2026-07-15 12:00:00') = timestamp '2026-07-15 12:00:00'").rows[0] -%}
  {%- if not zone[1] -%}
    {{ exceptions.raise_compiler_error(
        "The DuckDB session time zone is " ~ zone[0] ~ ", not UTC: naive timestamps in the raw files "
        ~ "would be shifted. Pin it in the profile (profiles.yml, under the duckdb output): "
        ~ "settings: {TimeZone: UTC}") }}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}

{#- dbt-duckdb names the database after the file's stem, and DuckDB reserves some catalog names:
    a build database called main.duckdb builds once, then every later build fails renaming its
    tables ("another entry with this name already exists"), the schema being `main` too;
    temp.duckdb fails on the first model; memory.duckdb builds, and publishing (an in-memory
    DuckDB attaching it) fails. (system.duckdb fails earlier still, in DuckDB's own words: dbt
    creates the schemas before this hook.) -#}
{% macro check_build_database() -%}
  {{ return(adapter.dispatch('check_build_database', 'leadscore')()) }}
{%- endmacro %}

{% macro default__check_build_database() -%}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__check_build_database() -%}
  {%- if target.database | lower in ['main', 'temp', 'system', 'memory'] -%}
    {{ exceptions.raise_compiler_error(
        "The build database " ~ target.path ~ " is named '" ~ target.database ~ "', a name DuckDB already "
        ~ "uses for its own catalogs and schemas (main, temp, system, memory): builds or publishing there fail. "
        ~ "Give the file another name (LEADSCORE_DB, or leadscore build --db)") }}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}

{#- An optional number var: none when empty (""), else number_var's checks and parsed value. -#}
{% macro optional_number_var(name, min_value=none, max_value=none) -%}
  {%- set raw = var(name) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{- return(none) -}}
  {%- endif -%}
  {{- return(leadscore.number_var(name, min_value, max_value)) -}}
{%- endmacro %}
