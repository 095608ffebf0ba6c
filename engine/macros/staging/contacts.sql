{#- Whether a contact (a row of an outreach log) can be used as a label, for any input
    project's checked contacts model: three select items, reject_reason, reject_column and
    reject_value, from columns the checked select names
      contact_id, key_occurrence      (keyed_rows on the contact's id),
      lead_id, lead_is_known          (the lead's id, and whether it is an accepted lead),
      contacted_at, contacted_at__raw (timestamp_columns),
      responded__issue, responded__raw (boolean_columns), responded_at (timestamp_columns).
    A rejected contact with an accepted lead and a readable time still happened: hand it to
    input_contact_attempts too (`where lead_is_known and contacted_at is not null`), so the
    recontact window counts it. -#}
{% macro contact_reject_columns() -%}
    case
        when contact_id is null then 'missing contact_id'
        when key_occurrence > 1 then {{ leadscore.duplicate_key_reason('contact_id', alias=none) }}
        when lead_id is null then 'missing lead_id'
        when not lead_is_known then 'unknown lead (not among the accepted leads)'
        when contacted_at is null then {{ leadscore.unusable_timestamp_reason('contacted_at') }}
        when responded_at < contacted_at then 'response before its contact'
        -- an outcome that cannot be read is no label, and not "pending" either
        when responded__issue is not null then 'responded ' || responded__issue
    end as reject_reason,
    case
        when contact_id is null or key_occurrence > 1 then 'contact_id'
        when lead_id is null or not lead_is_known then 'lead_id'
        when contacted_at is null then 'contacted_at'
        when responded_at < contacted_at then 'responded_at'
        when responded__issue is not null then 'responded'
    end as reject_column,
    case
        when contact_id is null or key_occurrence > 1 then contact_id
        when lead_id is null or not lead_is_known then lead_id
        when contacted_at is null then contacted_at__raw
        -- a usable time keeps no raw text (unused_raw): show it as read, in UTC
        when responded_at < contacted_at then cast(responded_at as {{ dbt.type_string() }})
        when responded__issue is not null then responded__raw
    end as reject_value
{%- endmacro %}
