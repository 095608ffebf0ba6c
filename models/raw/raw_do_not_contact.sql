{{ leadscore.read_raw_file('do_not_contact') }}
