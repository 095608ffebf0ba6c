-- Every problem the input project found in its raw data, one row each.
select source_file, row_key, line_number, column_name, raw_value, reason, action
from {{ leadscore.checked_input('data_quality_issues', ['source_file', 'row_key', 'line_number',
                                                        'column_name', 'raw_value', 'reason', 'action']) }}
