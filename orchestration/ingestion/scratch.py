"""Names of the temp tables and columns one file load works in.

Every internal name carries a prefix that no landed column may use, so a landed column can
never shadow one of them.
"""

from __future__ import annotations

#: the landed records, every value as text
LANDED = "_landed_file"
#: the landed records with their line numbers (header = line 1) and spans
LANDED_LINES = "_landed_file_lines"
#: the same, with the reason each record cannot load (null when it can)
LANDED_CHECKED = "_landed_file_checked"
#: DuckDB's CSV reader's rejects (parse errors) and its scan table
PARSE_ERRORS = "_landed_parse_errors"
PARSE_SCANS = "_landed_parse_scans"
#: records that never parsed, one row each, numbered by line
ERRORS = "_landed_errors"
#: the line scan's sparse facts: blank records, and records spanning several lines
BLANK = "_landed_blank_records"
MULTI = "_landed_multi_line_records"

#: the text of the rejected records of a CSV file (line, raw_text)
RECORD_TEXTS = "_landed_record_texts"

#: internal columns of LANDED_LINES / LANDED_CHECKED
LINE, SPAN, REASON, REASON_COLUMN = "__line", "__span", "__reason", "__reason_column"
#: a rejected Parquet row as JSON
RAW_TEXT = "__raw_text"
