"""Import of an agency's existing catalog from CSV or XLSX (docs/import.md), split by job:

- `read`: the file as a table (CSV or XLSX by content; UTF-8, BOM, UTF-16, GB18030);
- `check`: every row against the catalog rules, and the report;
- `write`: the checked rows in bulk (catalog/bulk.py, search_bulk.py, core's bulk audit events);
- `run`: the whole act for the command and the staff page (`import_file`).
"""

from gongkai.catalog.importer.check import (
    CheckedRows,
    ImportReport,
    ImportRow,
    Progress,
    RowChecker,
    RowError,
    body_html_and_text,
    parse_date,
)
from gongkai.catalog.importer.read import COLUMNS, Column, ImportFileError, Table, read_table
from gongkai.catalog.importer.run import import_file
from gongkai.catalog.importer.write import ImportResult, do_import_records

__all__ = [
    "COLUMNS",
    "CheckedRows",
    "Column",
    "ImportFileError",
    "ImportReport",
    "ImportResult",
    "ImportRow",
    "Progress",
    "RowChecker",
    "RowError",
    "Table",
    "body_html_and_text",
    "do_import_records",
    "import_file",
    "parse_date",
    "read_table",
]
