-- One row per problem found in the X Education file (same columns as the main project's
-- data_quality_issues): a rejected row (row_rejected), a bad value set to NULL in a row that
-- is still used (value_set_to_null, from <col>__issue) or an undeclared answer encoded as
-- category 'other' (mapped_to_other, from <col>__unknown).
{{ lead_scoring.data_quality_issue_rows(ref('stg_xed_leads_checked'), 'lead_id',
                           {'__issue': 'value_set_to_null', '__unknown': 'mapped_to_other'}) }}
