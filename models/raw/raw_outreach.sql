{{ leadscore.read_raw_file('outreach') }}
