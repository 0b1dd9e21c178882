"""Shared by the Excel export, template and import."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SOURCE_LANGUAGE = "zh-hans"  # the file formats are Chinese whatever the UI language
MAX_IMPORT_ROWS = 5000
MAX_AMOUNT = Decimal(10) ** 12  # Project.total_investment: 14 digits, 2 decimals
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
