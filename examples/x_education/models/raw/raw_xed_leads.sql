{{ leadscore.read_file('x_education_leads') }}
