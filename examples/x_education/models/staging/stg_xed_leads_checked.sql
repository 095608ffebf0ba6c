-- Every row of the X Education file, typed, with why a value was dropped (<col>__issue),
-- mapped to 'other' (<col>__unknown) or why the row cannot be used (reject_reason).
-- stg_leads keeps the accepted rows; data_quality_issues reports the rest.
{%- set categories = ['lead_origin', 'lead_source', 'occupation', 'specialization', 'country', 'city', 'hear_about'] %}
with r as (
    {{ lead_scoring.keyed_rows(ref('raw_xed_leads'), xed_answer('prospect_id')) }}
)
select
    r.source_file,
    r.source_line,
    r.row_key as lead_id,
    case
        when r.row_key is null then 'missing Prospect ID'
        when r.key_occurrence > 1 then {{ lead_scoring.duplicate_key_reason('Prospect ID') }}
    end as reject_reason,
    case when r.row_key is null or r.key_occurrence > 1 then 'prospect_id' end as reject_column,
    case when r.row_key is null or r.key_occurrence > 1 then r.prospect_id end as reject_value,
    {{ xed_answer('r.lead_number') }} as lead_number,
    -- label: Converted 1/0 (anything else: NULL = outcome unknown, not trained on)
    case trim(r.converted) when '1' then true when '0' then false end as converted,
    r.converted as converted__raw,
    case when trim(r.converted) not in ('0', '1') or r.converted is null then 'Converted not 0/1' end as converted__issue,
    {{ xed_number_columns('total_visits') }},
    {{ xed_number_columns('time_on_website') }},
    {{ xed_number_columns('page_views_per_visit') }},
    {%- for c in categories %}
    {{ xed_category_columns(c) }},
    {%- endfor %}
    {{ xed_flag_columns('do_not_email') }},
    {{ xed_flag_columns('do_not_call') }},
    {{ xed_flag_columns('free_interview_copy') }},
    {%- for c in ['ad_search', 'ad_magazine', 'ad_newspaper_article', 'ad_forums', 'ad_newspaper', 'ad_digital', 'ad_recommendations'] %}
    {{ xed_flag_columns(c) }},
    {%- endfor %}
    -- Post-contact columns (filled in by the sales team): kept for audit and the leakage demo,
    -- never features.
    {{ xed_answer('r.tags') }} as tags,
    {{ xed_answer('r.lead_quality') }} as lead_quality,
    {{ xed_answer('r.last_activity') }} as last_activity,
    {{ xed_answer('r.last_notable_activity') }} as last_notable_activity,
    {{ xed_answer('r.lead_profile') }} as lead_profile
from r
{%- for c in categories %}
{{ xed_category_join(c) }}
{%- endfor %}
