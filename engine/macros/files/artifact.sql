{#-
  The model artifact (folder = var model_dir), read by the models in models/model/.

  model_dir()                 the validated var model_dir
  artifact_tables()           the SQL tables every artifact must carry (tables/<name>.jsonl)
  artifact_table(name)        tables/<name>.jsonl as a relation; depends on model_artifact, so
                              nothing reads the artifact before its files are verified
  verified_artifact_files()   at run time: SHA256SUMS parsed and every listed file's sha256
                              recomputed by the warehouse; any mismatch, missing file or
                              uncovered table stops the build naming the file
-#}
{% macro model_dir() -%}
  {%- set dir = (var('model_dir') | string | trim).rstrip('/') -%}
  {%- if not dir and not execute -%}{{ return('model_dir-unset') }}{%- endif -%}
  {%- if not dir -%}
    {{ exceptions.raise_compiler_error("dbt var model_dir is empty: set it to the model artifact folder "
                                       "(e.g. ml/artifacts/linkedin_sample) in your dbt_project.yml or --vars") }}
  {%- endif -%}
  {{ return(dir) }}
{%- endmacro %}

{% macro artifact_tables() -%}
  {{ return(['model', 'k_values', 'tiers', 'gates', 'thresholds', 'features', 'oof_predictions',
             'feature_reference', 'tree_nodes', 'tree_members', 'tree_paths']) }}
{%- endmacro %}

{% macro artifact_table(name) -%}
  {%- do ref('model_artifact') -%}
  {{ return(leadscore.jsonl_relation(leadscore.model_dir() ~ '/tables/' ~ name ~ '.jsonl')) }}
{%- endmacro %}

{#- Rows (file_name, expected_sha256, actual_sha256) of every file SHA256SUMS lists. -#}
{% macro artifact_checksums_sql(sums) -%}
  {%- set dir = leadscore.model_dir() -%}
  {%- for name, expected in sums.items() %}
  select '{{ name }}' as file_name, '{{ expected }}' as expected_sha256,
         {{ leadscore.file_sha256_sql(dir ~ '/' ~ name) }} as actual_sha256
  {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{%- endmacro %}

{% macro verified_artifact_files() -%}
  {%- set dir = leadscore.model_dir() -%}
  {%- set sums = {} -%}
  {%- for row in run_query(leadscore.file_lines_sql(dir ~ '/SHA256SUMS')) if row[0] | trim -%}
    {%- set parts = row[0].split('  ', 1) -%}
    {%- if parts | length != 2 or not modules.re.fullmatch('[0-9a-f]{64}', parts[0])
          or not modules.re.fullmatch('[A-Za-z0-9_./-]+', parts[1]) or '..' in parts[1] -%}
      {{ exceptions.raise_compiler_error("model artifact " ~ dir ~ ": SHA256SUMS line is not "
                                         ~ "'<sha256>  <file>': " ~ row[0][:120]) }}
    {%- endif -%}
    {%- do sums.update({parts[1]: parts[0]}) -%}
  {%- endfor -%}
  {%- if not sums -%}
    {{ exceptions.raise_compiler_error("model artifact " ~ dir ~ ": no SHA256SUMS there, or it is "
        ~ "empty (a missing folder, or not a model artifact): set var model_dir to an artifact "
        ~ "folder, or train one with `leadscore train`") }}
  {%- endif -%}
  {%- set required = ['model_card.json'] -%}
  {%- for name in leadscore.artifact_tables() -%}{%- do required.append('tables/' ~ name ~ '.jsonl') -%}{%- endfor -%}
  {%- set uncovered = required | reject('in', sums) | list -%}
  {%- if uncovered -%}
    {{ exceptions.raise_compiler_error("model artifact " ~ dir ~ ": SHA256SUMS does not cover "
                                       ~ uncovered | join(', ') ~ " (retrain the artifact)") }}
  {%- endif -%}
  {%- for row in run_query(leadscore.artifact_checksums_sql(sums)) if row[1] != row[2] -%}
    {{ exceptions.raise_compiler_error(
        "model artifact " ~ dir ~ ": " ~ row[0] ~ " does not match SHA256SUMS (sha256 "
        ~ (row[2] or 'unreadable') ~ ", expected " ~ row[1] ~ "): the file was modified or belongs "
        ~ "to another model; retrain or restore the artifact") }}
  {%- endfor -%}
  {{ return(sums) }}
{%- endmacro %}
