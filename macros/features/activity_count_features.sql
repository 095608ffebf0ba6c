{#- The behavioural count features: (activity_type, feature name), in feature order. One list
    for int_activity_features (which counts them) and int_lead_feature_values (which casts
    them into the feature table). -#}
{% macro activity_count_features() -%}
  {{ return([
    ('profile_view', 'profile_views'),
    ('post_like', 'post_likes'),
    ('post_comment', 'post_comments'),
    ('post_share', 'post_shares'),
    ('connection_accepted', 'connection_accepted'),
    ('message_reply', 'message_replies'),
    ('inmail_open', 'inmail_opens'),
    ('website_visit', 'website_visits'),
    ('content_download', 'content_downloads'),
    ('event_registration', 'event_registrations'),
    ('email_open', 'email_opens'),
    ('email_click', 'email_clicks'),
  ]) }}
{%- endmacro %}
