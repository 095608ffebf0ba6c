{#- Cleaning helpers of the X Education staging (one place for each rule). -#}

{#- Text answer: trimmed; empty and the form's placeholder `Select` ("not answered") -> NULL. -#}
{% macro xed_answer(expr) -%}
  case when trim({{ expr }}) = '' or lower(trim({{ expr }})) = 'select' then null else trim({{ expr }}) end
{%- endmacro %}

{#- Vocabulary lookup key: the answer lower-cased with runs of spaces collapsed. -#}
{% macro xed_key(expr) -%}
  lower(regexp_replace({{ xed_answer(expr) }}, '\s+', ' ', 'g'))
{%- endmacro %}

{#- Yes/No flag -> BOOLEAN; anything else NULL. -#}
{% macro xed_yes_no(expr) -%}
  case lower(trim({{ expr }})) when 'yes' then true when 'no' then false end
{%- endmacro %}

{#- Timestamp var (validated, then spliced). -#}
{% macro xed_timestamp_var(name, default) -%}
  {%- set value = var(name, default) | string | trim -%}
  {%- if value == '' -%}{%- set value = default | string -%}{%- endif -%}
  {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', value) -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be a date or timestamp like 2020-01-01 or 2020-01-01 08:00:00, got: " ~ value) }}
  {%- endif -%}
  cast('{{ value | replace("T", " ") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Contact time of every historical lead (var xed_contacted_at). -#}
{% macro xed_contacted_at() -%}{{ xed_timestamp_var('xed_contacted_at', '2020-01-01') }}{%- endmacro %}

{#- Scoring as-of of lead_features: var as_of (main project's name), else xed_default_as_of. -#}
{% macro xed_scoring_as_of() -%}
  {%- if (var('as_of', '') | string | trim) != '' -%}{{ xed_timestamp_var('as_of', '') }}
  {%- else -%}{{ xed_timestamp_var('xed_default_as_of', '2020-07-01') }}{%- endif -%}
{%- endmacro %}
