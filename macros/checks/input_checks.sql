{#- on-run-start of the LinkedIn input project, before any model runs: its own var
    raw_data_path must name a folder holding the contract's files with the contract's columns
    (the engine's hook validates the engine's vars, as_of and model_dir included). Returns no
    SQL. -#}
{% macro validate_raw_input() -%}
  {#- only when this project is the one being built (not when another project installs it) -#}
  {%- if project_name != 'lead_scoring' -%}{{ return('') }}{%- endif -%}
  {{ return(leadscore.check_raw_files(['leads', 'activities', 'outreach', 'do_not_contact'])) }}
{%- endmacro %}

{#- post-hook of input_do_not_contact: the build log always says which suppression file was
    read (or that there is none) and how many leads it suppresses. Returns no SQL. -#}
{% macro log_suppression() -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {#- DuckDB names the file even when it holds no row; other adapters: the rows' source_file -#}
  {%- set path = leadscore.raw_file_path('do_not_contact')
        or run_query("select max(source_file) from " ~ ref('stg_do_not_contact_checked')).rows[0][0] -%}
  {%- if path is none -%}
    {{ log("do_not_contact: no do_not_contact.csv or .parquet in " ~ leadscore.raw_data_folder()
           ~ ": no lead is suppressed", info=true) }}
  {%- else -%}
    {{ leadscore.log_opt_outs(ref('stg_do_not_contact_checked'), path, label='do_not_contact') }}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}
