-- Per raw file: rows read, accepted, rejected and values set to NULL.
select raw_file, source_file, input_rows, accepted_rows, rejected_rows, values_set_to_null
from {{ leadscore.checked_input('data_quality_summary', ['raw_file', 'source_file', 'input_rows',
                                                         'accepted_rows', 'rejected_rows', 'values_set_to_null']) }}
