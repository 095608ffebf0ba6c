{{ leadscore.read_raw_file('activities') }}
