"""Exports are data, not formulas: text a user typed comes out of every .xlsx as that text.

Each export is fetched through its page with records whose text would be a formula (or an
error code) if written as openpyxl writes a plain string, then read back with openpyxl; one is
also opened by LibreOffice, which evaluates formulas when it converts.
"""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from tuijin.core.xlsx import SheetWriter, keep_text
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.tests.factories import make_item, person
from tuijin.worklogs.models import WorkLog
from tuijin.worklogs.tests.factories import make_log

pytestmark = pytest.mark.presentation

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "#N/A",
]


def read(response):
    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(content)).active, content


def cells(sheet, column: int):
    return [row[column] for row in sheet.iter_rows(min_row=SheetWriter.HEADER_ROW + 1)]


def assert_typed_text(sheet, column: int, expected) -> None:
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    written = cells(sheet, column)
    assert {c.data_type for c in written} == {"s"}
    assert sorted(c.value for c in written) == sorted(expected)


@pytest.mark.django_db
def test_ledger_export_writes_names_as_text_and_numbers_as_numbers(org, leader):
    for number, text in enumerate(HOSTILE):
        make_project(name=text, code=f"F-{number}", total_investment=Decimal("-5"))
    sheet, _ = read(leader.get(reverse("projects:ledger_export")))
    assert_typed_text(sheet, 1, HOSTILE)
    investments = cells(sheet, 9)
    assert {(c.data_type, c.value) for c in investments} == {("n", -5)}


@pytest.mark.django_db
def test_board_and_dispatch_exports_write_titles_as_text(org, leader):
    for text in HOSTILE:
        make_item(title=text)
    sheet, _ = read(leader.get(reverse("supervision:item_export")))
    assert_typed_text(sheet, 0, HOSTILE)

    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="调度会",
        starts_at=dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC),
        place="会议室",
        chair=person("leader"),
    )
    sheet, _ = read(leader.get(reverse("meetings:dispatch_xlsx", args=[meeting.pk])))
    assert_typed_text(sheet, 2, HOSTILE)


@pytest.mark.django_db
def test_work_log_export_writes_log_text_as_text(org, leader):
    for day, text in enumerate(HOSTILE, start=1):
        make_log(day=dt.date(2026, 11, day), kind=WorkLog.Kind.DAILY, text=text)
    stored = list(WorkLog.objects.values_list("text", flat=True))  # the service strips blanks
    sheet, _ = read(leader.get(reverse("worklogs:log_export")))
    assert_typed_text(sheet, 4, stored)


@pytest.mark.django_db
def test_minutes_with_a_pasted_control_character_still_download(org, leader):
    meeting = Meeting.objects.create(
        kind=MeetingKind.DISPATCH,
        title="调度会\x07",
        starts_at=dt.datetime(2026, 11, 21, 1, 30, tzinfo=dt.UTC),
        place="会议室",
        chair=person("leader"),
        minutes="会议\x07指出",
    )
    response = leader.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in document.paragraphs]
    assert "调度会纪要" in texts
    assert "会议指出" in texts


def test_templates_keep_strings_as_text():
    # The import templates are written with a normal workbook (unit and park names in them).
    workbook = Workbook()
    workbook.active.append(HOSTILE)
    keep_text(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    (row,) = load_workbook(buffer).active.iter_rows()
    assert [(c.data_type, c.value) for c in row] == [("s", text) for text in HOSTILE]


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_shows_the_typed_text_not_a_formula(org, leader, tmp_path):
    link = HOSTILE[0]
    make_log(day=dt.date(2026, 11, 2), kind=WorkLog.Kind.DAILY, text=link)
    make_log(day=dt.date(2026, 11, 3), kind=WorkLog.Kind.DAILY, text="-1+1")
    _, content = read(leader.get(reverse("worklogs:log_export")))
    (tmp_path / "logs.xlsx").write_bytes(content)
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
            "--outdir",
            str(tmp_path),
            str(tmp_path / "logs.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with open(tmp_path / "logs.csv", encoding="utf-8-sig", newline="") as file:
        texts = [row[4] for row in list(csv.reader(file))[SheetWriter.HEADER_ROW :]]
    assert sorted(texts) == sorted([link, "-1+1"])  # evaluated, they would read "x" and 0
