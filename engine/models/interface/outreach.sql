-- Every usable contact with its outcome (responded NULL = pending): the labels and campaigns.
select contact_id, lead_id, campaign_id, channel, experiment_group, contacted_at, responded, responded_at
from {{ leadscore.checked_input('outreach', ['contact_id', 'lead_id', 'campaign_id', 'channel',
                                             'experiment_group', 'contacted_at', 'responded', 'responded_at']) }}
