"""The ledger in and out of Excel (.xlsx).

- ``export.write_ledger``: the ledger as the user filtered it, streamed row by row
  (write-only workbook, chunked iterator), so a zone-scale export does not sit in memory.
- ``enterprises.write_enterprises``: the enterprise list as the user filtered it.
- ``template.COLUMNS``: the import template, one definition used to write the template file
  and to parse uploads, so the two cannot drift apart.
- ``importer.parse_projects``: checks every cell of an upload and returns what would be
  created or updated, or the errors (row and column as Excel shows them, reason in Chinese).
- ``services.import_projects`` applies a clean parse, in bulk, all rows or none; confirming
  runs it as a background job (``projects.imports``).
"""

from tuijin.projects.excel.common import MAX_IMPORT_ROWS, XLSX_CONTENT_TYPE
from tuijin.projects.excel.enterprises import ENTERPRISE_COLUMNS, write_enterprises
from tuijin.projects.excel.export import write_ledger
from tuijin.projects.excel.importer import (
    RowError,
    clean_amount,
    clean_date,
    parse_projects,
)
from tuijin.projects.excel.template import (
    COLUMNS,
    GENERAL_NOTES,
    HEADERS,
    general_notes,
    write_template,
)

__all__ = [
    "COLUMNS",
    "ENTERPRISE_COLUMNS",
    "GENERAL_NOTES",
    "HEADERS",
    "MAX_IMPORT_ROWS",
    "XLSX_CONTENT_TYPE",
    "RowError",
    "clean_amount",
    "clean_date",
    "general_notes",
    "parse_projects",
    "write_enterprises",
    "write_ledger",
    "write_template",
]
