-- One row per file of the model artifact (var model_dir): the sha256 SHA256SUMS records and the
-- one the warehouse computes now. Every model reading the artifact depends on this one, and a
-- modified, missing or uncovered file stops the build here, naming the file.
{%- set sums = leadscore.verified_artifact_files() if execute else {} %}
{%- if sums %}
{{ leadscore.artifact_checksums_sql(sums) }}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as file_name,
    cast(null as {{ dbt.type_string() }}) as expected_sha256,
    cast(null as {{ dbt.type_string() }}) as actual_sha256
where 1 = 0
{%- endif %}
