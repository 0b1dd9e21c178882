"""Reading a list's .xlsx export back in tests."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tuijin.core.xlsx import XLSX_CONTENT_TYPE, table_rows


def exported_rows(client, name: str, query: str = "") -> list[tuple]:
    """The header and rows (title rows left out) of the .xlsx the URL ``name`` sends back."""
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert ".xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return table_rows(book.active)
