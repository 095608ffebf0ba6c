-- Leads that must never be contacted: named by lead_id, or by an e-mail that matches a lead.
-- The build log says which file was read and how many leads it suppresses (log_suppression).
{{ config(post_hook="{{ log_suppression() }}") }}
{{ leadscore.applied_opt_outs(ref('stg_do_not_contact_checked'), ref('stg_leads')) }}
