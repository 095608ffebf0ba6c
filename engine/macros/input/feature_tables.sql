{#-
  One feature definition, two feature tables. An input project computes its features once, for
  a spine of (lead, moment) rows:
    leadscore.feature_spine(leads, outreach, latest_events_sql=none, created_at=none)
      purpose 'scoring':  every lead of `leads` at leadscore.scoring_as_of(latest_events_sql);
                          with created_at (the column of `leads` saying when a lead came to
                          be) and var as_of set (a backfill), only the leads created before it
                          or at an unknown time: those of that day. A build of the current data
                          (as_of empty) scores every lead;
      purpose 'training': every contact of `outreach` with a known outcome, at contacted_at.
  Its feature model selects the spine keys (purpose, lead_id, contact_id, feature_as_of) plus
  one column per feature; the interface models are then one line each:
    input_lead_features      = leadscore.scoring_feature_rows(ref('<feature model>'))
    input_lead_training_set  = leadscore.training_feature_rows(ref('<feature model>'), <outreach>)
  Both take the feature list from the built relation (never a hard-coded list), so training and
  scoring cannot drift apart.
-#}
{% macro feature_spine(leads, outreach, latest_events_sql=none, created_at=none) -%}
select
    l.lead_id,
    cast(null as {{ dbt.type_string() }}) as contact_id,
    m.feature_as_of,
    'scoring' as purpose
from {{ leads }} as l
{# the moment once (the default scans every event), then filtered against #}
cross join (select {{ leadscore.scoring_as_of(latest_events_sql) }} as feature_as_of) as m
{%- if created_at and leadscore.backfill_as_of() is not none %}
where l.{{ created_at }} is null or l.{{ created_at }} < m.feature_as_of
{%- endif %}

union all

select
    lead_id,
    contact_id,
    contacted_at as feature_as_of,
    'training' as purpose
from {{ outreach }}
where responded is not null
{%- endmacro %}

{% macro feature_spine_keys() -%}
  {{ return(['purpose', 'lead_id', 'contact_id', 'feature_as_of']) }}
{%- endmacro %}

{#- One row per lead, as of the scoring moment: lead_id, feature_as_of, the features. -#}
{% macro scoring_feature_rows(feature_values) -%}
select
    lead_id,
    feature_as_of
    {%- for feature in leadscore.feature_columns(feature_values, leadscore.feature_spine_keys()) %},
    {{ feature }}
    {%- endfor %}
from {{ feature_values }}
where purpose = 'scoring'
{%- endmacro %}

{#- One row per contact with a known outcome: the features strictly before contacted_at and the
    label `responded` of `outreach`. -#}
{% macro training_feature_rows(feature_values, outreach) -%}
select
    f.contact_id,
    f.lead_id,
    f.feature_as_of
    {%- for feature in leadscore.feature_columns(feature_values, leadscore.feature_spine_keys()) %},
    f.{{ feature }}
    {%- endfor %},
    o.responded
from {{ feature_values }} as f
inner join {{ outreach }} as o on o.contact_id = f.contact_id
where f.purpose = 'training'
{%- endmacro %}
