{#-
  leadscore.add_malformed_csv_rows(table_name): post-hook of the staging model that scans the
  raw reader of `table_name` (config post_hook="{{ leadscore.add_malformed_csv_rows('leads') }}").

  DuckDB skips a malformed CSV line (a field too many or too few, a line of spaces, bytes that
  are not UTF-8, ...) and records it in the temp tables reject_errors / reject_scans of the
  connection that scanned the file - the connection this hook runs on. The hook adds every
  such line to the staging table as a rejected row (reject_reason says what is wrong,
  reject_value holds the line), so data_quality_issues reports it and the summary counts it:
  nothing is lost, and the rest of the file is used. A quote that is never closed swallows the
  lines after it (to the end of the file): each swallowed line is added as a rejected row too,
  so the loss counts towards max_rejected_share instead of passing as one bad line.

  Line numbers: the reader numbers records as they stream past, counting the line breaks
  inside quoted values; it cannot see skipped lines. So only when the file had malformed lines
  - never on a clean file - this hook reads the file once more, line by line, finds where each
  record starts (outside quotes, not empty, not malformed) and renumbers source_line (and
  first_line, with the duplicate-key reasons that quote it) to the physical line.
  Limitation: a quote inside an unquoted value can throw the quote tracking off for the lines
  after it.
-#}
{% macro add_malformed_csv_rows(table_name) -%}
  {{ return(adapter.dispatch('add_malformed_csv_rows', 'leadscore')(table_name)) }}
{%- endmacro %}

{#- Other adapters read tables, not files: nothing to add. -#}
{% macro default__add_malformed_csv_rows(table_name) -%}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__add_malformed_csv_rows(table_name) -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set file = leadscore.raw_file_path(table_name) -%}
  {%- if file is none or file.endswith('.parquet') -%}{{ return('') }}{%- endif -%}
  {%- set has_log = run_query("select count(*) from duckdb_tables() where temporary and table_name = 'reject_errors'") -%}
  {%- if has_log.rows[0][0] == 0 -%}{{ return('') }}{%- endif -%}
  {%- do run_query("create or replace temp table leadscore_malformed as "
                   ~ leadscore.malformed_lines_sql(file)) -%}
  {%- if run_query("select count(*) from leadscore_malformed").rows[0][0] > 0 -%}
    {%- do leadscore.renumber_lines(this, file) -%}
    {%- do run_query(
        "insert into " ~ this ~ " (source_file, source_line, reject_reason, reject_value) "
        ~ "select " ~ leadscore.sql_text(file) ~ ", line, reason, line_text from ("
        ~ leadscore.malformed_rows_sql() ~ ")") -%}
    {{ log("add_malformed_csv_rows: " ~ file ~ ": "
           ~ run_query("select count(*) from (" ~ leadscore.malformed_rows_sql() ~ ")").rows[0][0]
           ~ " malformed line(s) reported in data_quality_issues", info=true) }}
  {%- endif -%}
  {%- do run_query("drop table leadscore_malformed") -%}
  {{ return('') }}
{%- endmacro %}

{#- One row per malformed record of `file` this connection's scans recorded: duckdb_line
    (DuckDB's count, which skips line breaks inside quotes), what DuckDB found, the text; the
    physical `line` and the lines it `swallowed` are filled in by renumber_lines. -#}
{% macro malformed_lines_sql(file) -%}
select e.line as duckdb_line,
       cast(null as bigint) as line,
       cast(null as bigint) as swallowed,
       min(e.error_type::varchar) as error_type,
       min(e.error_message) as error_message,
       left(min(ltrim(e.csv_line, chr(13) || chr(10))), 1000) as line_text
from reject_errors as e
inner join reject_scans as s on s.scan_id = e.scan_id and s.file_id = e.file_id
where s.file_path = {{ leadscore.sql_text(file) }}
group by e.line
{%- endmacro %}

{#- The rejected rows to add: one per malformed record, and one per line swallowed by a quote
    that is never closed (those lines were meant as rows: each one is counted as lost). -#}
{% macro malformed_rows_sql() -%}
with expanded as (
    select m.*, unnest(range(0, coalesce(m.swallowed, 0) + 1)) as offset_in_record
    from leadscore_malformed as m
)
select
    line + offset_in_record as line,
    case
        when offset_in_record > 0
            then 'inside a quote left open on line ' || cast(line as varchar) || ': not read'
        when error_type = 'UNQUOTED VALUE' and swallowed > 0
            then 'malformed CSV line: a quote opened here is never closed; the next '
                 || cast(swallowed as varchar) || ' line(s) were swallowed into it'
        when trim(coalesce(line_text, '')) = '' then 'blank line (only spaces): not a row'
        when error_type = 'INVALID ENCODING' then 'not valid UTF-8: the row was not read (save the file as UTF-8)'
        when error_type = 'TOO MANY COLUMNS' then 'malformed CSV line: more fields than the header (' || error_message || ')'
        when error_type = 'MISSING COLUMNS' then 'malformed CSV line: fewer fields than the header (' || error_message || ')'
        when error_type = 'UNQUOTED VALUE' then 'malformed CSV line: a quote in the wrong place'
        when error_type = 'LINE SIZE OVER MAXIMUM' then 'malformed CSV line: longer than the maximum line size'
        else 'malformed CSV line: ' || error_message
    end as reason,
    case when offset_in_record = 0 then split_part(line_text, chr(10), 1) end as line_text
from expanded
{%- endmacro %}

{#- Every line of the file in leadscore_lines that starts a record (outside quotes): its line, DuckDB's
    count for it (duckdb_line: line breaks inside quotes not counted), the line breaks inside
    the record (inner_breaks) and whether it is empty (DuckDB skips empty lines). -#}
{% macro line_starts_sql() -%}
with physical as (
    -- every line of the file, numbered (leadscore.load_csv_lines)
    select line, text, coalesce(length(text) - length(replace(text, '"', '')), 0) as quotes
    from leadscore_lines
),
starts as (
    -- a line starts a record when an even number of quotes precede it
    select line, text
    from (select *, sum(quotes) over (order by line rows between unbounded preceding and current row) - quotes
                          as quotes_before
          from physical) as p
    where quotes_before % 2 = 0
)
select line,
       row_number() over (order by line) as duckdb_line,
       lead(line, 1, (select max(line) + 1 from physical)) over (order by line) - line - 1 as inner_breaks,
       coalesce(text, chr(13)) = chr(13) as empty
from starts
{%- endmacro %}

{#- The provisional source_line the reader gave each well-formed record (ordinal + 1 + line
    breaks inside the records before it) and its physical line, for the records whose number
    changes (those after the first skipped line). -#}
{% macro record_lines_sql() -%}
with records as (
    select line, inner_breaks, row_number() over (order by line) as ordinal
    from leadscore_line_starts
    where duckdb_line > 1 and not empty
      and duckdb_line not in (select duckdb_line from leadscore_malformed)
),
numbered as (
    select line,
           ordinal + 1 + coalesce(sum(inner_breaks) over (order by ordinal rows between unbounded preceding and 1 preceding), 0)
               as provisional_line
    from records
)
select line, provisional_line from numbered where line <> provisional_line
{%- endmacro %}

{#- Physical line numbers for the malformed lines and the rows of the staging table `relation`
    (source_line, and first_line with the duplicate-key reasons quoting it). -#}
{% macro renumber_lines(relation, file) -%}
  {%- do leadscore.load_csv_lines(file) -%}
  {%- do run_query("create or replace temp table leadscore_line_starts as " ~ leadscore.line_starts_sql()) -%}
  {%- do run_query("drop table leadscore_lines") -%}
  {%- do run_query("create or replace temp table leadscore_record_lines as " ~ leadscore.record_lines_sql()) -%}
  {%- do run_query(
      "update leadscore_malformed as m set line = s.line, "
      ~ "swallowed = case when m.error_type = 'UNQUOTED VALUE' then s.inner_breaks else 0 end "
      ~ "from leadscore_line_starts as s where s.duckdb_line = m.duckdb_line") -%}
  {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
  {%- if 'first_line' in columns -%}
    {%- do run_query(
        "update " ~ relation ~ " as t set first_line = r.line, reject_reason = replace(t.reject_reason, "
        ~ leadscore.line_reference('t.first_line') ~ ", " ~ leadscore.line_reference('r.line') ~ ") "
        ~ "from leadscore_record_lines as r where r.provisional_line = t.first_line") -%}
  {%- endif -%}
  {%- do run_query(
      "update " ~ relation ~ " as t set source_line = r.line "
      ~ "from leadscore_record_lines as r where r.provisional_line = t.source_line") -%}
  {%- do run_query("drop table leadscore_line_starts") -%}
  {%- do run_query("drop table leadscore_record_lines") -%}
{%- endmacro %}

{#- on-run-start: every raw file the input project reads with read_raw_file has its
    add_malformed_csv_rows post-hook on some model. Without it DuckDB would skip the file's
    malformed lines with no trace - rows lost, the build green - so a missing hook stops every
    dbt command, naming the file and the line to add. A static look at the parsed project
    (comments left out; nothing is read): it sees the calls written in a model, not those a
    project macro makes, nor whether the hooked model is the one that scans the file. -#}
{% macro check_malformed_line_hooks() -%}
  {%- if not execute -%}{{ return('') }}{%- endif -%}
  {%- set readers = {} -%}
  {%- set hooked = [] -%}
  {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
    {%- for table_name in leadscore.macro_call_arguments('read_raw_file', node.raw_code) -%}
      {%- do readers.update({table_name: node.name}) -%}
    {%- endfor -%}
    {%- for hook in node.config.get('post-hook', []) -%}
      {%- do hooked.extend(leadscore.macro_call_arguments('add_malformed_csv_rows', hook.get('sql'))) -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- for table_name, model in readers.items() if table_name not in hooked -%}
    {{ exceptions.raise_compiler_error(
        "Model " ~ model ~ " reads raw file '" ~ table_name ~ "' with leadscore.read_raw_file, but no "
        ~ "model has its post-hook: DuckDB would drop the file's malformed CSV lines without a trace. "
        ~ "Add {{ config(post_hook=\"{{ leadscore.add_malformed_csv_rows('" ~ table_name ~ "') }}\") }} "
        ~ "to the staging model that reads " ~ model ~ " (docs/bring_your_own_data.md).") }}
  {%- endfor -%}
  {{ return('') }}
{%- endmacro %}

{#- The quoted first arguments of the calls to `macro` in Jinja/SQL `code` (positional or
    table_name=), its Jinja and SQL (--) comments left out. -#}
{% macro macro_call_arguments(macro, code) -%}
  {%- set re = modules.re -%}
  {%- set code = re.sub('(?s)\\{#.*?#\\}', '', code or '') -%}
  {%- set code = re.sub('--[^\\n]*', '', code) -%}
  {%- set pattern = macro ~ "\\(\\s*(?:table_name\\s*=\\s*)?['\"](\\w+)['\"]" -%}
  {{ return(re.findall(pattern, code)) }}
{%- endmacro %}
