{#-
  Validation of the scoring / selection dbt vars. Every value is parsed and checked in Jinja and
  rendered back from the parsed number (or as an escaped string literal), never spliced as the
  raw text the user passed, so a var cannot inject SQL. Invalid values stop compilation with
  exceptions.raise_compiler_error.
-#}

{% macro scoring_int_var(name, default, min_value=1) -%}
  {%- set raw = var(name, default) -%}
  {%- set text = (raw | string) | trim -%}
  {%- if raw is sameas true or raw is sameas false or raw is none
        or not modules.re.fullmatch('[0-9]+', text) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ (raw | string)[:60] ~ ": expected a whole number >= "
        ~ min_value ~ " (e.g. --vars '{" ~ name ~ ": " ~ default ~ "}')") }}
  {%- endif -%}
  {%- set value = text | int -%}
  {%- if value < min_value -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ value ~ ": must be a whole number >= " ~ min_value) }}
  {%- endif -%}
  {{- return(value) -}}
{%- endmacro %}

{#- Optional probability strictly inside (0, 1); returns none when unset or empty. -#}
{% macro scoring_probability_var(name) -%}
  {%- set raw = var(name, none) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{- return(none) -}}
  {%- endif -%}
  {%- set text = (raw | string) | trim -%}
  {%- if raw is sameas true or raw is sameas false
        or not modules.re.fullmatch('[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?', text) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected a number strictly between 0 and 1") }}
  {%- endif -%}
  {%- set value = text | float -%}
  {%- if not (value > 0 and value < 1) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ value ~ ": must be strictly between 0 and 1") }}
  {%- endif -%}
  {{- return(value) -}}
{%- endmacro %}

{#- A text var rendered as a SQL string literal (quotes doubled). -#}
{% macro scoring_text_literal(name, default) -%}
  {%- set raw = var(name, default) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var " ~ name ~ ": must not be empty") }}
  {%- endif -%}
  '{{ (raw | string) | replace("'", "''") }}'
{%- endmacro %}

{#- One of a fixed set of names. -#}
{% macro scoring_choice_var(name, default, choices) -%}
  {%- set raw = (var(name, default) | string) | trim -%}
  {%- if raw not in choices -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ raw[:60] ~ ": expected one of " ~ (choices | join(', '))) }}
  {%- endif -%}
  {{- return(raw) -}}
{%- endmacro %}

{#- The selection vars with their defaults (one place). -#}
{% macro scoring_k() -%}{{ return(scoring_int_var('k', 100)) }}{%- endmacro %}
{% macro scoring_phase1_k() -%}{{ return(scoring_int_var('phase1_k', 50)) }}{%- endmacro %}
{% macro scoring_min_outcomes() -%}{{ return(scoring_int_var('min_outcomes', 30)) }}{%- endmacro %}
{% macro scoring_recontact_window_days() -%}{{ return(scoring_int_var('recontact_window_days', 90, min_value=0)) }}{%- endmacro %}
{% macro scoring_threshold() -%}{{ return(scoring_probability_var('threshold')) }}{%- endmacro %}
{% macro scoring_phase1_campaign_literal() -%}{{ scoring_text_literal('phase1_campaign_id', 'phase1-validation') }}{%- endmacro %}
