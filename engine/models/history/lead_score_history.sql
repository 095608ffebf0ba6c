{#-
  Every committed build's lead scores plus this build's, keyed by (model_version,
  feature_as_of, lead_id): lead_score_history_committed, where this build's (model_version,
  feature_as_of) partition is replaced by this build's scores (a re-run of the same model on
  the same as-of replaces its rows; a new model or as-of adds rows). A view: this build's rows
  become durable only when the build is committed (see lead_score_history_committed), so a
  failed build leaves no trace; monitoring reads this view, so it already sees this build's
  scores. model_trained_through lets monitoring use a score for a contact only when the model
  had not already learned that contact's outcome.
-#}
{{ config(materialized='view') }}

with this_build as (
    {{ leadscore.this_build_scores(ref('lead_scores'), ref('model_card'), ref('lead_score_history_committed')) }}
)

{%- set first_scored = leadscore.first_scored_at('committed') ~ ' as first_scored_at' %}

select
{%- for column in leadscore.score_history_columns() %}
    {{ first_scored if column == 'first_scored_at' else column }}{{ ',' if not loop.last }}
{%- endfor %}
from {{ ref('lead_score_history_committed') }} as committed
where not exists (
    select 1 from {{ ref('lead_scores') }} as b
    where b.model_version = committed.model_version and b.feature_as_of = committed.feature_as_of)

union all

select {{ leadscore.score_history_columns() | join(', ') }}
from this_build
