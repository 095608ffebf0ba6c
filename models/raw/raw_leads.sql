{{ leadscore.read_raw_file('leads') }}
