{#-
  leadscore.read_raw_file(table_name)
  Reads one file of the raw-data contract (source `raw`, table `table_name`) as text:
  every contract column as VARCHAR (absent optional columns as NULL), plus
    source_file  the file read (NULL when an optional file is absent),
    source_line  the CSV line number (header = line 1; a quoted value spanning lines counts
                 every line) or the Parquet row number (1-based).
  A missing required file or column stops the build with an error naming it.
  Dispatched: DuckDB reads `<raw_data_path>/<table_name>.parquet` or `.csv` (see
  raw_file_path); other adapters read the `raw` source as declared (e.g. an external table on
  Spark).

  A malformed CSV line (too many or too few fields, a blank line of spaces, bytes that are not
  UTF-8) does not stop the read: DuckDB skips it and records it in the connection's temp
  tables reject_errors / reject_scans, and the staging model that scans the file adds it back
  as a rejected row with its line number (leadscore.add_malformed_csv_rows, a post-hook).
-#}
{% macro read_raw_file(table_name) -%}
  {{ return(adapter.dispatch('read_raw_file', 'leadscore')(table_name)) }}
{%- endmacro %}

{% macro raw_contract_columns(table_name) -%}
  {#- The contract's columns for one raw file, from the sources YAML (one place). -#}
  {%- set node = graph.sources['source.' ~ project_name ~ '.raw.' ~ table_name] -%}
  {{ return(node) }}
{%- endmacro %}

{% macro default__read_raw_file(table_name) -%}
  {%- set cols = [] -%}
  {%- if execute -%}{%- set cols = leadscore.raw_contract_columns(table_name).columns.keys() | list -%}{%- endif -%}
  select
    {%- for c in cols %}
    cast({{ adapter.quote(c) }} as {{ dbt.type_string() }}) as {{ c }},
    {%- endfor %}
    '{{ table_name }}' as source_file,
    row_number() over (order by 1) as source_line
  from {{ source('raw', table_name) }}
{%- endmacro %}

{% macro duckdb__read_raw_file(table_name) -%}
  {%- set cols = [] -%}
  {%- set file = none -%}
  {%- if execute -%}
    {%- set cols = leadscore.raw_contract_columns(table_name).columns.keys() | list -%}
    {%- set file = leadscore.raw_file_path(table_name) -%}
  {%- endif -%}

  {%- if file is none -%}
  {#- Optional file absent (or parse time): an empty relation with the contract's columns. -#}
  select
    {%- for c in cols %}
    cast(null as varchar) as {{ c }},
    {%- endfor %}
    cast(null as varchar) as source_file,
    cast(null as bigint) as source_line
  where false
  {%- else -%}
    {%- set present = leadscore.checked_raw_columns(table_name, file) -%}
    {%- set reader = leadscore.duckdb_raw_reader(file, present) -%}
    {%- set present_lower = present | map('lower') | list -%}
  select
    {%- for c in cols %}
    {% if c in present_lower %}cast({{ adapter.quote(c) }} as varchar){% else %}cast(null as varchar){% endif %} as {{ c }},
    {%- endfor %}
    {{ leadscore.sql_text(file) }} as source_file,
    {%- if file.endswith('.parquet') %}
    file_row_number + 1 as source_line
  from {{ reader }}
    {%- else %}
    {#- a file with malformed lines is renumbered exactly afterwards (add_malformed_csv_rows) #}
    {{ leadscore.csv_source_line() }} as source_line
  from {{ leadscore.csv_records(reader, present) }}
    {%- endif %}
  {%- endif -%}
{%- endmacro %}

{#- A SQL string literal (single quotes doubled). -#}
{% macro sql_text(value) -%}
  '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- CSV records with their line: record n starts on line n + 1 plus the line breaks inside
    quoted values of the records before it. csv_records(reader, columns) is the reader with
    each record's line breaks (__line_breaks), csv_source_line() the line of the record. Both
    windows stream (no sort, no second pass over the file). -#}
{% macro csv_records(reader, columns) -%}
  (select *, {{ leadscore.line_breaks_in(columns) }} as __line_breaks from {{ reader }}) as records
{%- endmacro %}

{% macro csv_source_line() -%}
  cast(row_number() over () + 1
       + sum(__line_breaks) over (rows between unbounded preceding and current row) - __line_breaks as bigint)
{%- endmacro %}

{#- DuckDB's reader of one raw file, the path taken literally. A CSV is read with the dialect
    and the columns (`header`, from csv_header) given, every value as text: nothing is
    guessed, so no malformed line can make the read itself fail ("could not sniff the
    dialect"); malformed lines are skipped and logged (store_rejects), or, without
    store_rejects, stop the read naming the file and the line. -#}
{% macro duckdb_raw_reader(file, header=none, store_rejects=true) -%}
  {%- if file.endswith('.parquet') -%}
    read_parquet({{ leadscore.duckdb_path_literal(file) }}, file_row_number = true)
  {%- else -%}
    read_csv({{ leadscore.duckdb_path_literal(file) }}, header = true, auto_detect = false,
             columns = { {%- for c in header %}{{ leadscore.sql_text(c) }}: 'VARCHAR'{% if not loop.last %}, {% endif %}{% endfor -%} },
             delim = ',', quote = '"', escape = '"'{% if store_rejects %}, store_rejects = true{% endif %})
  {%- endif -%}
{%- endmacro %}

{#- A CSV file read as lines (column `text`): no quoting; a line break is \n or \r\n. UTF-8:
    a line that is not (bytes of another encoding, e.g. Windows-1252 quotes) is not returned
    but logged, with its line number and its text (bad bytes as '?'), in the temp table
    leadscore_lines_errors (load_csv_lines puts it back in place). Latin-1 is no way round: DuckDB
    refuses its bytes 0x80-0x9F, which UTF-8's ’ – € are made of. Single-threaded: DuckDB's
    parallel reader refuses this dialect on large files. -#}
{% macro csv_lines_reader(file) -%}
  read_csv({{ leadscore.duckdb_path_literal(file) }}, columns = {'text': 'VARCHAR'}, header = false,
           delim = chr(31), quote = '', escape = '', auto_detect = false, strict_mode = false,
           new_line = '\r\n', parallel = false, store_rejects = true,
           rejects_table = 'leadscore_lines_errors', rejects_scan = 'leadscore_lines_scans')
{%- endmacro %}

{% macro drop_csv_lines_log() -%}
  {%- do run_query("drop table if exists leadscore_lines_errors; drop table if exists leadscore_lines_scans") -%}
{%- endmacro %}

{#- Called once a CSV's header failed its check: stops the build when the first line is not
    UTF-8. The line reader skips such a line (logging it), so the second line read as the header
    and the error would name "missing" columns. A reader stopped after one line logs nothing,
    hence a scan of the whole file, on this failure path only. -#}
{% macro refuse_unreadable_csv_header(file) -%}
  {%- do leadscore.drop_csv_lines_log() -%}
  {%- do run_query("select count(*) from " ~ leadscore.csv_lines_reader(file)) -%}
  {%- set unreadable = run_query("select count(*) from leadscore_lines_errors where line = 1").rows[0][0] > 0 -%}
  {%- do leadscore.drop_csv_lines_log() -%}
  {%- if unreadable -%}
    {{ exceptions.raise_compiler_error(
        "Raw input file " ~ file ~ ": its first line, the header, is not UTF-8 text (saved as UTF-16, "
        ~ "Windows-1252 or Latin-1?), so it cannot be read, and the next line would pass for the header. "
        ~ "Save the file as UTF-8.") }}
  {%- endif -%}
{%- endmacro %}

{#- Every physical line of `file`, whatever bytes it holds, as the temp table
    leadscore_lines(line, text); drop it after use. -#}
{% macro load_csv_lines(file) -%}
  {%- do leadscore.drop_csv_lines_log() -%}
  {%- do run_query("create or replace temp table leadscore_lines_read as "
                   ~ "select row_number() over () as ordinal, text from " ~ leadscore.csv_lines_reader(file)) -%}
  {#- a good line's place: its ordinal among the good lines plus the bad lines before it. A bad
      line may be logged twice (bad bytes and too long), and DuckDB logs only its first 10,000
      characters: quotes after them go uncounted (the lines after such a line may then be
      placed one record off; only a non-UTF-8 line that long with a quote that far out). #}
  {%- do run_query("create or replace temp table leadscore_lines as
      with logged as (
          select line, min(ltrim(csv_line, chr(13) || chr(10))) as text
          from leadscore_lines_errors
          group by line
      ),
      bad as (
          select line, text,
                 row_number() over (order by line) as bad_lines_so_far,
                 line - row_number() over (order by line) as good_lines_before
          from logged
      ),
      shift as (
          select good_lines_before, max(bad_lines_so_far) as bad_lines from bad group by good_lines_before
      )
      select r.ordinal + coalesce(s.bad_lines, 0) as line, r.text
      from leadscore_lines_read as r
      asof left join shift as s on r.ordinal > s.good_lines_before
      union all
      select line, text from bad") -%}
  {%- do run_query("drop table leadscore_lines_read") -%}
  {%- do leadscore.drop_csv_lines_log() -%}
{%- endmacro %}

{#- The column names in the first line of a CSV file (quoted names unquoted, a UTF-8 byte order
    mark dropped, a repeated name numbered like DuckDB does: email, email_1). A name of
    `contract_names` given twice stops the build: the reader would use the first copy and drop
    the other unseen. A first line that is not UTF-8 is skipped (the next is read as the header;
    the contract's checks then call refuse_unreadable_csv_header). -#}
{% macro csv_header(file, contract_names=[]) -%}
  {%- do leadscore.drop_csv_lines_log() -%}
  {%- set rows = run_query("select text from " ~ leadscore.csv_lines_reader(file) ~ " limit 1").rows -%}
  {%- do leadscore.drop_csv_lines_log() -%}
  {%- set line = (rows[0][0] or '') if rows else '' -%}
  {%- set line = line[1:] if line.startswith('\ufeff') else line -%}
  {%- set as_written = [] -%}
  {%- if line | trim -%}
    {%- for m in modules.re.finditer('(?:^|,)\\s*(?:"((?:[^"]|"")*)"|([^,]*))', line) -%}
      {%- set name = (m.group(1).replace('""', '"') if m.group(1) is not none else m.group(2)) | trim -%}
      {%- do as_written.append(name or 'column' ~ loop.index0) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- do leadscore.refuse_repeated_columns(file, as_written, contract_names) -%}
  {%- set names = [] -%}
  {%- for name in as_written -%}
    {%- do names.append(name if name | lower not in names | map('lower') | list else name ~ '_' ~ loop.index0) -%}
  {%- endfor -%}
  {{ return(names) }}
{%- endmacro %}

{#- A contract column named twice in a file's header (any case) stops the build: the reader would
    use one copy and drop the other unseen. `names`: the header as written, in order. -#}
{% macro refuse_repeated_columns(file, names, contract_names) -%}
  {%- set contract = contract_names | map('lower') | list -%}
  {%- set seen = [] -%}
  {%- for name in names | map('lower') -%}
    {%- if name in seen and name in contract -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file " ~ file ~ " has the column " ~ names[loop.index0] ~ " twice (columns "
          ~ (seen.index(name) + 1) ~ " and " ~ loop.index ~ "): remove one; the build "
          ~ "would read the first and drop the other unseen.") }}
    {%- endif -%}
    {%- do seen.append(name) -%}
  {%- endfor -%}
{%- endmacro %}

{#- The number of line breaks inside the values of one CSV record (quoted values only can
    hold one); strpos first, so a value without one costs a single scan. -#}
{% macro line_breaks_in(columns) -%}
  {%- for c in columns -%}
  case when strpos({{ adapter.quote(c) }}, chr(10)) > 0
       then length({{ adapter.quote(c) }}) - length(replace({{ adapter.quote(c) }}, chr(10), '')) else 0 end
  {%- if not loop.last %} + {% endif -%}
  {%- endfor -%}
{%- endmacro %}

{#-
  The header of the raw file `file` of `table_name`, after checking it against the contract:
  every `meta.required` column must be there, at least one of the table's
  `meta.required_one_of` columns (a file naming nobody is unusable), and no header may be a
  near miss of a contract column (`E-mail`, `LeadID` for email, lead_id): such a column would
  silently read as absent. Names match case-insensitively. DuckDB only (reads the file).
-#}
{% macro checked_raw_columns(table_name, file) -%}
  {%- set node = leadscore.raw_contract_columns(table_name) -%}
  {%- if file.endswith('.parquet') -%}
    {%- set literal = leadscore.duckdb_path_literal(file) -%}
    {%- set present = run_query("describe select * from read_parquet(" ~ literal ~ ")").columns[0].values() | list -%}
    {#- DuckDB renames a repeated column (lead_id, lead_id_1): the file's own names tell -#}
    {%- set as_written = run_query("select name from parquet_schema(" ~ literal ~ ") where num_children is null "
                                   ~ "or num_children = 0").columns[0].values() | list -%}
    {%- do leadscore.refuse_repeated_columns(file, as_written, node.columns.keys() | list) -%}
    {%- if 'file_row_number' in present | map('lower') | list -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file " ~ file ~ " has a column named file_row_number, the name the reader "
          ~ "gives the row numbers it reports issues with. Rename or drop that column.") }}
    {%- endif -%}
  {%- else -%}
    {%- set present = leadscore.csv_header(file, node.columns.keys() | list) -%}
  {%- endif -%}
  {%- set present_lower = present | map('lower') | list -%}
  {%- set required = [] -%}
  {%- for name, col in node.columns.items() if col.meta.get('required') -%}{%- do required.append(name) -%}{%- endfor -%}
  {%- set missing = required | reject('in', present_lower) | list -%}
  {%- set one_of = node.meta.get('required_one_of') or [] -%}
  {%- set none_of = one_of and not (one_of | select('in', present_lower) | list) -%}
  {%- if (missing or none_of) and not file.endswith('.parquet') -%}
    {%- do leadscore.refuse_unreadable_csv_header(file) -%}
  {%- endif -%}
  {%- if missing -%}
    {{ exceptions.raise_compiler_error(
        "Raw input file " ~ file ~ " is missing required column(s): " ~ missing | join(', ')
        ~ ". " ~ leadscore.found_columns(present)) }}
  {%- endif -%}
  {%- set near = [] -%}
  {%- for header in present if header | lower not in node.columns -%}
    {%- for name in node.columns if leadscore.name_key(header) == leadscore.name_key(name) -%}
      {%- do near.append("'" ~ header ~ "' (for " ~ name ~ ")") -%}
    {%- endfor -%}
  {%- endfor -%}
  {%- if near -%}
    {{ exceptions.raise_compiler_error(
        "Raw input file " ~ file ~ " has column(s) spelled differently from the contract: "
        ~ near | join(', ') ~ ". Rename them; columns are matched by exact name (case-insensitive).") }}
  {%- endif -%}
  {%- if none_of -%}
    {{ exceptions.raise_compiler_error(
        "Raw input file " ~ file ~ " has none of the columns " ~ one_of | join(', ')
        ~ ": no row of it can be used. " ~ leadscore.found_columns(present)) }}
  {%- endif -%}
  {{ return(present) }}
{%- endmacro %}

{#- The end of a refusal naming a file's columns: those found, or that there are none. -#}
{% macro found_columns(present) -%}
  {%- if present -%}{{ return("Found: " ~ present | join(', ') ~ ".") }}{%- endif -%}
  {{ return("Its first line, the header, is empty: an empty file, or one that starts with a blank line.") }}
{%- endmacro %}

{#- On-run-start check of the whole raw folder, before any model runs: every contract file
    found (raw_file_path) and its header checked (checked_raw_columns). Returns no SQL. -#}
{% macro check_raw_files(table_names) -%}
  {{ return(adapter.dispatch('check_raw_files', 'leadscore')(table_names)) }}
{%- endmacro %}

{% macro default__check_raw_files(table_names) -%}
  {{ return('') }}
{%- endmacro %}

{% macro duckdb__check_raw_files(table_names) -%}
  {%- if execute -%}
    {%- for table_name in table_names -%}
      {%- set file = leadscore.raw_file_path(table_name) -%}
      {%- if file is not none -%}{%- do leadscore.checked_raw_columns(table_name, file) -%}{%- endif -%}
    {%- endfor -%}
  {%- endif -%}
  {{ return('') }}
{%- endmacro %}

{#- A name reduced to lower-case letters and digits: `Do-Not-Contact`, `do_not_contact` and
    `DoNotContact` share one key. -#}
{% macro name_key(name) -%}
  {{ return(modules.re.sub('[^a-z0-9]', '', name | lower)) }}
{%- endmacro %}

{#-
  leadscore.raw_file_path(table_name): the file read for one raw table (at run time; none
  when an optional file is absent, and at parse time). DuckDB looks in the folder var
  raw_data_path, taken literally (no glob patterns: `[1]`, `*`, `?` in the folder name are
  plain characters), for `<table_name>.parquet` or `<table_name>.csv`. Stops the build naming
  the problem when a required file is missing, when both are there (refuse_both_formats), or
  when the folder holds a file whose name is a near miss of the table's (`do-not-contact.csv`,
  `Leads.CSV`, `leads.tsv`, `leads.csv.gz`, `do_not_contact (1).csv`; is_near_miss): a
  misnamed file is never silently treated as
  absent, and never ignored next to the right one. Other adapters: none (they read the `raw`
  source).
-#}
{% macro raw_file_path(table_name) -%}
  {{ return(adapter.dispatch('raw_file_path', 'leadscore')(table_name)) }}
{%- endmacro %}

{% macro default__raw_file_path(table_name) -%}
  {{ return(none) }}
{%- endmacro %}

{% macro duckdb__raw_file_path(table_name) -%}
  {%- if not execute -%}{{ return(none) }}{%- endif -%}
  {%- set folder = leadscore.raw_data_folder() -%}
  {#- every file below the folder: a sub-folder (a partitioned `do_not_contact.parquet/`) shows
      as its files, and is listed as `name/` -#}
  {%- set listing = run_query("select file from glob(" ~ leadscore.duckdb_path_literal(folder, suffix='/**') ~ ") order by file") -%}
  {%- set depth = folder.replace('\\', '/').split('/') | length -%}
  {%- set names = [] -%}
  {%- set entries = [] -%}
  {%- for row in listing.rows -%}
    {%- set parts = row[0].replace('\\', '/').split('/')[depth:] -%}
    {%- set entry = parts[0] if parts | length == 1 else parts[0] ~ '/' -%}
    {%- if parts | length == 1 %}{% do names.append(entry) %}{% endif -%}
    {%- if entry not in entries %}{% do entries.append(entry) %}{% endif -%}
  {%- endfor -%}
  {%- set exact = [table_name ~ '.parquet', table_name ~ '.csv'] | select('in', names) | list -%}
  {%- set near = [] -%}
  {%- for entry in entries if entry not in exact and leadscore.is_near_miss(entry.rstrip('/'), table_name) -%}
    {%- do near.append(entry) -%}
  {%- endfor -%}
  {%- if near -%}
    {{ exceptions.raise_compiler_error(
        "Raw input folder " ~ folder ~ " holds " ~ near | join(', ') ~ ", a near miss of the contract's "
        ~ table_name ~ ".csv / " ~ table_name ~ ".parquet"
        ~ (" (next to " ~ exact[0] ~ ")" if exact else "")
        ~ ". Rename or remove it: a misnamed " ~ table_name ~ " file is never silently ignored.") }}
  {%- endif -%}
  {%- do leadscore.refuse_both_formats(folder, table_name, names) -%}
  {%- if not exact -%}
    {%- if leadscore.raw_contract_columns(table_name).meta.get('required_file', true) -%}
      {{ exceptions.raise_compiler_error(
          "Raw input file missing: neither " ~ folder ~ "/" ~ table_name ~ ".csv nor "
          ~ table_name ~ ".parquet exists (var raw_data_path = '" ~ folder ~ "'; the folder holds: "
          ~ (entries | join(', ') if entries else 'nothing - is the path right?') ~ ").") }}
    {%- endif -%}
    {{ return(none) }}
  {%- endif -%}
  {{ return(folder ~ '/' ~ exact[0]) }}
{%- endmacro %}

{#- `names` (the raw folder's file names) holding both <table_name>.csv and .parquet stops the
    build: it reads one file per table, and would silently ignore the other (a stale export next
    to this week's, an opt-out list next to another). -#}
{% macro refuse_both_formats(folder, table_name, names) -%}
  {%- if (table_name ~ '.csv') in names and (table_name ~ '.parquet') in names -%}
    {{ exceptions.raise_compiler_error(
        "Raw input folder " ~ folder ~ " holds both " ~ table_name ~ ".csv and " ~ table_name
        ~ ".parquet. Remove one: the build reads one file per table and would silently ignore "
        ~ "the other.") }}
  {%- endif -%}
{%- endmacro %}

{#- The folder var raw_data_path, as given (no trailing slash); an empty value stops the build. -#}
{% macro raw_data_folder() -%}
  {%- set folder = (var('raw_data_path') | string | trim) -%}
  {%- set folder = folder.rstrip('/') if folder.rstrip('/') else folder -%}
  {%- if not folder -%}
    {{ exceptions.raise_compiler_error("Invalid dbt var raw_data_path: must name the folder of the raw files") }}
  {%- endif -%}
  {{ return(folder) }}
{%- endmacro %}

{#- A file name's key without its data-file extensions (Leads.CSV.gz -> leads). -#}
{% macro file_name_key(file_name) -%}
  {{ return(leadscore.name_key(leadscore.data_file_stem(file_name))) }}
{%- endmacro %}

{% macro data_file_stem(file_name) -%}
  {{ return(modules.re.sub('(\\.(csv|tsv|txt|parquet|pq|xlsx|xls|json|jsonl|gz|zip|bz2|zst|xz))+$', '',
                           file_name | lower)) }}
{%- endmacro %}

{#- Whether an entry of the raw folder looks meant as table_name's file without being it: the
    same name before its first dot, in any spelling or format (`do-not-contact.csv`, `Leads.CSV`,
    `leads.tsv`, `do_not_contact.ods`, `do_not_contact.csv.crdownload`, a folder
    `do_not_contact.parquet/`), or a data file whose name holds the table's (`do_not_contact
    (1).csv`, `leads_old.parquet`, `copy of leads.csv`): a second download or a stale copy, which
    the build would otherwise ignore. -#}
{% macro is_near_miss(file_name, table_name) -%}
  {%- set table_key = leadscore.name_key(table_name) -%}
  {%- set same_name = leadscore.name_key(file_name.split('.')[0]) == table_key -%}
  {%- set is_data_file = leadscore.data_file_stem(file_name) != file_name | lower -%}
  {{ return(same_name or (is_data_file and table_key in leadscore.file_name_key(file_name))) }}
{%- endmacro %}
