-- Every row of the X Education file, typed with the engine's checks: <col> is the typed value,
-- <col>__issue says why a bad value became NULL, <col>__unknown why an answer outside the
-- vocabulary became category 'other', reject_reason why a row cannot be used at all.
-- stg_leads keeps the accepted rows; input_data_quality_issues reports the rest.
{%- set questions = ['lead_origin', 'lead_source', 'occupation', 'specialization', 'country', 'city', 'hear_about'] %}
{%- set yes_no = ['do_not_email', 'do_not_call', 'free_interview_copy', 'ad_search', 'ad_newspaper_article',
                  'ad_forums', 'ad_newspaper', 'ad_digital', 'ad_recommendations'] %}
{%- set numbers = ['total_visits', 'time_on_website', 'page_views_per_visit'] %}
with keyed as (
    {{ leadscore.keyed_rows(ref('raw_xed_leads'), leadscore.text_value('prospect_id'), var('raw_data_path')) }}
),

r as (
    -- each number parsed once (number_parsed), checked below (number_columns)
    select
        keyed.*,  -- noqa: RF03
        {%- for col in numbers %}
        {{ leadscore.number_parsed(col, from_alias='keyed') }}{{ ',' if not loop.last }}
        {%- endfor %}
    from keyed
)

select
    r.source_file,
    r.source_line,
    r.row_key as lead_id,
    case
        when r.row_key is null then 'missing Prospect ID'
        when r.key_occurrence > 1 then {{ leadscore.duplicate_key_reason('Prospect ID') }}
    end as reject_reason,
    case when r.row_key is null or r.key_occurrence > 1 then 'prospect_id' end as reject_column,
    case when r.row_key is null or r.key_occurrence > 1 then r.prospect_id end as reject_value,
    -- the label: 1/0 (anything else: NULL, the outcome is unknown and not trained on)
    {{ leadscore.boolean_columns('converted') }},
    {%- for col in numbers %}
    {{ leadscore.number_columns(col) }},
    {%- endfor %}
    {%- for question in questions %}
    -- the web form writes `Select` for a question left unanswered
    {{ leadscore.category_columns(question, 'v_' ~ question ~ '.category', not_answered=['select']) }},
    {%- endfor %}
    {%- for flag in yes_no %}
    {{ leadscore.boolean_columns(flag) }},
    {%- endfor %}
    -- written by the sales team after contact: kept for the leakage demo, never a feature
    {{ leadscore.text_value('r.tags') }} as tags
from r
{%- for question in questions %}
left join {{ ref('xed_vocabulary') }} as v_{{ question }}
    on v_{{ question }}.question = '{{ question }}'
    and v_{{ question }}.value = {{ leadscore.code_value('r.' ~ question) }}
{%- endfor %}
