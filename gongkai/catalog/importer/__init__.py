"""Import of an agency's existing catalog from CSV or XLSX (docs/import.md), split by job:

- `read`: the file as a table (CSV or XLSX by content; UTF-8, BOM, UTF-16, GB18030);
- `check`: every row against the catalog rules, and the report;
- `write`: the checked rows in bulk (catalog/bulk.py, search_bulk.py, core's bulk audit events);
- `run`: the whole act for the command and the background job (`import_file`);
- `load`: the public bulk API for loading a catalog given as plain values (the demo);
- `staging`: the files a background import waits on, and its progress (catalog/tasks.py runs it).
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
from gongkai.catalog.importer.load import add_publications, load_records, published_at_order
from gongkai.catalog.importer.read import COLUMNS, Column, ImportFileError, Table, read_table
from gongkai.catalog.importer.run import earlier_import, import_file
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
    "add_publications",
    "body_html_and_text",
    "do_import_records",
    "earlier_import",
    "import_file",
    "load_records",
    "parse_date",
    "published_at_order",
    "read_table",
]
