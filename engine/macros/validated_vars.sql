{#-
  Validated dbt vars. Every var a model reads is declared, with its default, in
  dbt_project.yml (the one place). These macros parse the value in Jinja, check it and
  return the parsed value; SQL is rendered from the parsed number (or an escaped string
  literal), never from the text the user passed, so a var cannot inject SQL. An invalid
  value stops compilation with a message naming the var.
-#}

{#- A number, optionally a whole number, within [min_value, max_value]. -#}
{% macro number_var(name, min_value=none, max_value=none, whole=false) -%}
  {%- set raw = var(name) -%}
  {%- set text = (raw | string) | trim -%}
  {%- set pattern = '[0-9]+' if whole else '-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?' -%}
  {%- if raw is sameas true or raw is sameas false or raw is none
        or not modules.re.fullmatch(pattern, text) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid dbt var " ~ name ~ "=" ~ text[:60] ~ ": expected "
        ~ ("a whole number" if whole else "a number")
        ~ (" >= " ~ min_value if min_value is not none else "")
        ~ (" and <= " ~ max_value if max_value is not none else "")) }}
  {%- endif -%}
  {%- set value = (text | int) if whole else (text | float) -%}
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
        or not modules.re.fullmatch('[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?', text) -%}
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

{#- An optional number var: none when empty (""), else number_var's checks and parsed value. -#}
{% macro optional_number_var(name, min_value=none, max_value=none) -%}
  {%- set raw = var(name) -%}
  {%- if raw is none or (raw | string | trim) == '' -%}
    {{- return(none) -}}
  {%- endif -%}
  {{- return(leadscore.number_var(name, min_value, max_value)) -}}
{%- endmacro %}

{#- A date or timestamp var ('2026-10-31', '2026-10-31 08:00' or '2026-10-31T08:00:00') as a SQL
    timestamp expression. Only the validated text is spliced; an impossible date that matches
    the pattern (2026-02-30) fails the cast at run time rather than turning into NULL. -#}
{% macro timestamp_var(name) -%}
  {{- return(leadscore.timestamp_literal(var(name), name)) -}}
{%- endmacro %}

{#- The same for a value already read (`name` = the var it came from, for the error). -#}
{% macro timestamp_literal(value, name) -%}
  {%- set text = (value | string) | trim -%}
  {%- if value is none or not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', text) -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be a date or timestamp like 2026-10-31 or 2026-10-31 08:00:00, got: " ~ text[:60]) }}
  {%- endif -%}
  {{- return("cast('" ~ text | replace('T', ' ') ~ "' as " ~ dbt.type_timestamp() ~ ")") -}}
{%- endmacro %}
