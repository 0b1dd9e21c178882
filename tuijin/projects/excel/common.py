"""Shared by the Excel export, template and import."""

from __future__ import annotations

from decimal import Decimal

from tuijin.core.xlsx import HEADER_FILL, HEADER_FONT, XLSX_CONTENT_TYPE

__all__ = [
    "HEADER_FILL",
    "HEADER_FONT",
    "MAX_AMOUNT",
    "MAX_IMPORT_ROWS",
    "SOURCE_LANGUAGE",
    "XLSX_CONTENT_TYPE",
]

SOURCE_LANGUAGE = "zh-hans"  # the file formats are Chinese whatever the UI language
MAX_IMPORT_ROWS = 5000
MAX_AMOUNT = Decimal(10) ** 12  # Project.total_investment: 14 digits, 2 decimals
