{#- One row: the threshold on engagement_score the threshold list uses (threshold_used) and
    where it comes from (threshold_source): var threshold when set, else the model card's.
    outreach_by_threshold selects by it and coverage measures it: one rule for both. -#}
{% macro threshold_in_use() -%}
{%- set threshold_var = leadscore.checked_var('threshold') %}
select
    cast({{ threshold_var if threshold_var is not none else 'threshold_score' }} as {{ type_double() }})
        as threshold_used,
    {{ "'var'" if threshold_var is not none else "'model_card'" }} as threshold_source
from {{ ref('model_card') }}
{%- endmacro %}
