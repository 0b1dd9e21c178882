"""Printing the ledger and the 督办 board from a phone keeps every column (L11 part 9): the
print stylesheet shows the columns a narrow screen hides and prints on A4 landscape."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.presentation]

SHOWN = """table => [...table.querySelectorAll('thead th')]
    .filter(th => !th.classList.contains('d-print-none'))
    .map(th => getComputedStyle(th).display !== 'none')"""


def test_ledger_and_board_print_every_column_from_a_phone(demo, live_server, phone):
    log_in(phone, live_server, "leader")
    for path, table in (("/projects/", "#ledger-table"), ("/supervision/", "#item-table")):
        phone.goto(f"{live_server.url}{path}")
        expect(phone.locator(table)).to_be_attached()
        on_screen = phone.locator(table).evaluate(SHOWN)
        assert not all(on_screen)  # a phone hides some columns on screen …
        phone.emulate_media(media="print")
        assert all(phone.locator(table).evaluate(SHOWN))  # … and prints them all
        phone.emulate_media(media="screen")
    pdf = OUTPUT / "board-print.pdf"
    phone.pdf(path=str(pdf), prefer_css_page_size=True)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert (round(float(box[1])), round(float(box[2]))) == (842, 595)  # A4 landscape, points
