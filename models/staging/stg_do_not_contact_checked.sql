-- Every row of the optional do_not_contact file, checked by the engine's opt-out rule
-- (leadscore.checked_opt_outs): a row naming no lead by lead_id or a valid e-mail is rejected
-- (and a file with too many such rows stops the build, like any raw file: an opt-out list that
-- silently does nothing is the worst kind of data loss); a usable row that matches no accepted
-- lead is kept and reported as not_applied, because an opt-out may name someone who is not a
-- lead yet.
{{ config(post_hook="{{ leadscore.add_malformed_csv_rows('do_not_contact') }}") }}
{{ leadscore.checked_opt_outs(ref('raw_do_not_contact'), ref('stg_leads')) }}
