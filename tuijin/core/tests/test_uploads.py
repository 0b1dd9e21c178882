"""The upload pipeline and the archive limits, against the files of the V10 attack report.

Every hostile file is made in the test (``hostile.py``); the bombs are the real thing (a 1.5 MB
.docx unpacking to 419 MB, a 329 KB .xlsx holding a 300 MB cell, a 12,500 × 12,500 PNG).
"""

import contextlib
import io
import itertools
import re
import tracemalloc
import warnings
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from tuijin.core import archives, uploads
from tuijin.core.tests import hostile
from tuijin.core.tests.hostile import upload
from tuijin.core.uploads import DOCUMENT, PHOTO, SPREADSHEET, TEXT_DOCUMENT, check_upload
from tuijin.core.xlsx import BLANK_RUN_ENDS_SHEET, XlsxRefused, open_workbook, sheet_rows

MB = 1024 * 1024


def refusal(file, kind=PHOTO) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(file, kind)
    return " ".join(error.value.messages)


# --- type by content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("现场.jpg", hostile.HTML),  # HTML renamed .jpg
        ("图.svg", hostile.SVG),  # SVG with a script
        ("图.png", hostile.SVG),
        ("照片.html", hostile.gif_html_polyglot()),  # GIF + HTML, stored as .html
        ("照片.gif", hostile.gif_html_polyglot()),
        ("setup.jpg", b"MZ\x90\x00\x03" + bytes(100)),  # a Windows executable
        ("run.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("压缩包.jpg", hostile.docx_text()),
    ],
)
def test_what_is_not_a_photo_is_refused_by_its_content(name, data):
    assert refusal(upload(name, data, "image/jpeg")) == (
        f"“{name}”不是照片:只接受 JPEG、PNG、WebP、HEIC 格式的图片(按文件内容判断,不看扩展名)。"
    )
    if not name.startswith("压缩包"):  # a .docx is a document, whatever its name
        assert f"“{name}”不是可接受的文件" in refusal(upload(name, data), DOCUMENT)


def test_a_document_must_be_what_its_name_says():
    assert "无法读取“批复.pdf”:内容不是有效的 PDF 文件" in refusal(
        upload("批复.pdf", hostile.jpeg_bytes()), DOCUMENT
    )
    assert "无法读取“纪要.docx”:内容不是有效的 Word(.docx) 文件" in refusal(
        upload("纪要.docx", hostile.xlsx_with_cell()), DOCUMENT
    )
    assert "是旧版 Office 文件" in refusal(
        upload("纪要.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), DOCUMENT
    )
    macro = hostile.docx(
        b"<w:document/>", main=hostile.DOCM_MAIN, extra={"word/vbaProject.bin": b"x"}
    )
    assert "“宏.docx”不是可接受的文件" in refusal(upload("宏.docx", macro), DOCUMENT)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("index.html", hostile.HTML)
    assert "不是可接受的文件" in refusal(upload("网页.zip", plain_zip.getvalue()), DOCUMENT)


def test_documents_that_are_what_they_say_are_kept_as_sent():
    for name, data, content_type in [
        ("批复.pdf", b"%PDF-1.7\n%%EOF\n", uploads.PDF),
        ("纪要.docx", hostile.docx_text(["会议纪要"]), uploads.DOCX),
        ("台账.xlsx", hostile.xlsx_with_cell("值"), uploads.XLSX),
    ]:
        checked = check_upload(upload(name, data), DOCUMENT)
        assert (checked.name, checked.content_type) == (name, content_type)
        assert checked.read() == data


def test_a_file_over_the_kinds_limit_is_refused_by_its_name(settings):
    big = upload("航拍.jpg", b"\xff\xd8\xff" + bytes(50 * MB))  # a 50 MB binary "photo"
    assert refusal(big) == "“航拍.jpg”大小为 50.0 MB,超过单个文件 20 MB 的上限。"
    settings.UPLOAD_PHOTO_MAX_MB = 1
    assert "超过单个文件 1 MB 的上限" in refusal(upload("小.jpg", b"\xff\xd8\xff" + bytes(MB)))
    assert "是空文件(0 字节)" in refusal(upload("空.jpg", b""))


def test_refusals_and_help_come_out_in_the_users_language():
    big = upload("site.jpg", b"\xff\xd8\xff" + bytes(21 * MB))
    with translation.override("en"):
        assert refusal(big) == '"site.jpg" is 21.0 MB, over the 20 MB limit per file.'
        assert refusal(upload("page.jpg", hostile.HTML)).startswith('"page.jpg" is not a photo')
        assert refusal(upload("big.png", hostile.huge_png())) == (
            '"big.png" exceeds the limit of 40,000,000 pixels. Please resize it and upload again.'
        )
        assert str(SPREADSHEET.lazy_help("File: ")) == "File: Excel(.xlsx), up to 10 MB each"
    assert refusal(upload("空.jpg", b"")) == "“空.jpg”是空文件(0 字节),请重新选择。"


# --- images ------------------------------------------------------------------------------------


def test_a_12500_pixel_square_png_is_refused_before_it_is_decoded():
    data = hostile.huge_png()  # 19 KB on the wire, 156 megapixels
    message = refusal(upload("大图.png", data, "image/png"))
    assert message == "“大图.png”的像素超过 4000 万像素的上限,请缩小后上传。"
    assert Image.MAX_IMAGE_PIXELS == 40_000_000  # Pillow itself refuses above twice this


def test_the_pixel_limit_is_read_from_the_header_and_named(settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    message = refusal(upload("现场.png", hostile.huge_png(320, 240)))
    assert message == "“现场.png”为 320×240 像素,超过 1 万像素的上限,请缩小后上传。"


def test_a_truncated_image_is_refused():
    data = hostile.jpeg_bytes()[:400]
    assert refusal(upload("现场.jpg", data)) == "“现场.jpg”不是可识别的图片文件。"


def test_a_photo_is_reencoded_keeping_the_exif_the_app_needs():
    data = hostile.jpeg_bytes(comment=b"<script>alert(1)</script>") + hostile.HTML
    checked = check_upload(upload("现场.jpg", data, "image/jpeg"), PHOTO)
    stored = checked.read()
    assert b"<script" not in stored and stored != data
    assert checked.content_type == "image/jpeg" and checked.name == "现场.jpg"
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (320, 240)
        exif = image.getexif()
        assert (
            exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == "2026:05:01 10:20:30"
        )
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert ExifTags.Base.ImageDescription not in exif
    facts = checked.facts
    assert (str(facts.latitude), str(facts.longitude)) == ("31.690000", "113.370000")
    assert f"{facts.taken_at:%Y-%m-%d %H:%M}" == "2026-05-01 10:20"
    assert len(facts.sha256) == 64 and len(facts.dhash) == 16


def test_a_png_keeps_its_format_and_loses_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", hostile.HTML.decode())
    out = io.BytesIO()
    hostile.picture().save(out, "PNG", pnginfo=info)
    checked = check_upload(upload("截图.png", out.getvalue()), PHOTO)
    assert checked.content_type == "image/png" and b"<script" not in checked.read()


def test_a_heic_photo_from_a_phone_is_accepted_as_jpeg():
    checked = check_upload(upload("IMG_0001.HEIC", hostile.heic_bytes(), "image/heic"), PHOTO)
    assert (checked.name, checked.content_type) == ("IMG_0001.jpg", "image/jpeg")
    with Image.open(checked) as image:
        assert image.format == "JPEG" and image.size == (320, 240)
    assert checked.facts.taken_at is not None and checked.facts.has_location


def test_a_photo_with_the_wrong_extension_is_stored_under_the_right_one():
    out = io.BytesIO()
    hostile.picture().save(out, "PNG")
    checked = check_upload(upload("现场.jpg", out.getvalue()), PHOTO)
    assert (checked.name, checked.content_type) == ("现场.png", "image/png")


# --- archives ----------------------------------------------------------------------------------


def test_the_1_5_mb_docx_that_unpacks_to_419_mb_is_refused_reading_little():
    bomb = hostile.docx_bomb()
    assert len(bomb) < 2 * MB
    tracemalloc.start()
    try:
        message = refusal(upload("报道.docx", bomb), TEXT_DOCUMENT)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == "“报道.docx”解压后超过 50 MB 的上限(可能是压缩炸弹),请检查文件。"
    assert peak < 8 * MB  # read in chunks, counted, never held


def test_one_entry_past_the_ratio_is_refused(settings):
    settings.ARCHIVE_MAX_UNCOMPRESSED_MB = 1000
    message = refusal(upload("纪要.docx", hostile.docx_bomb(megabytes=20)), DOCUMENT)
    assert message == (
        "“纪要.docx”中的“word/document.xml”压缩比超过 100:1 的上限(可能是压缩炸弹),请检查文件。"
    )


def test_the_directory_is_checked_before_anything_is_unpacked(settings):
    settings.ARCHIVE_MAX_ENTRIES = 10
    buffer = io.BytesIO(hostile.docx_text(["x"]))
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(20):
            archive.writestr(f"word/media/{number}.xml", "<x/>")
    message = refusal(upload("纪要.docx", buffer.getvalue()), DOCUMENT)
    assert message == "“纪要.docx”包含的文件条目过多,超过 10 个的上限。"


def test_declared_sizes_are_not_trusted():
    """The directory says document.xml is 1 KB; its data unpacks to 20 MB: the reader stops at
    what was declared and the CRC refuses it, so no parser sees more than was checked."""
    head, crc_, _size = hostile.repeated_deflate((hostile.PARAGRAPH * 1000, 600))
    lying = hostile.raw_zip(
        [
            hostile.stored(
                "[Content_Types].xml", hostile.CONTENT_TYPES.format(main=hostile.DOCX_MAIN).encode()
            ),
            ("word/document.xml", head, zipfile.ZIP_DEFLATED, crc_, 1024),
        ]
    )
    assert refusal(upload("纪要.docx", lying), DOCUMENT) == "“纪要.docx”已损坏,无法读取。"


def test_an_encrypted_zip_is_refused():
    data = bytearray(hostile.docx_text())
    data[6] |= 0x1  # the local header's "encrypted" flag
    position = data.rfind(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.rfind(b"PK\x01\x02", 0, position)
    assert "已加密" in refusal(upload("纪要.docx", bytes(data)), DOCUMENT)


# --- .xlsx -------------------------------------------------------------------------------------


def read_all(data: bytes, name: str = "台账.xlsx") -> list:
    with open_workbook(io.BytesIO(data), name) as workbook:
        return list(sheet_rows(workbook.worksheets[0], name, 5))


def xlsx_with_far_row(row: int) -> bytes:
    """A sheet of a header, one row of data and one more row numbered ``row``."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["编号", "名称"])
    book.active.append(["A-1", "正常"])
    book.active.append(["A-2", "远处"])
    out = io.BytesIO()
    book.save(out)
    far = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'r="3"', f'r="{row}"'.encode(), data)
                data = re.sub(rb'r="([A-Z]+)3"', rf'r="\g<1>{row}"'.encode(), data)
                data = data.replace(b'ref="A1:B3"', f'ref="A1:B{row}"'.encode())
            copy.writestr(info, data)
    return far.getvalue()


def test_a_row_numbered_a_billion_ends_the_sheet_at_a_long_blank_run():
    """A 5 KB file naming row 1,000,000,000 held a gunicorn worker until its timeout: openpyxl
    yields every missing row before it. The data ends at the first long run of blank rows."""
    data = xlsx_with_far_row(1_000_000_000)
    assert len(data) < 10_000
    with open_workbook(io.BytesIO(data), "台账.xlsx") as workbook:
        rows = sheet_rows(workbook.worksheets[0], "台账.xlsx", 5)
        read = list(itertools.islice(rows, BLANK_RUN_ENDS_SHEET + 10))
    assert len(read) < BLANK_RUN_ENDS_SHEET + 2  # the header, the row, then blanks: stopped
    assert [values[:2] for _n, values in read[:2]] == [("编号", "名称"), ("A-1", "正常")]
    # A row after a short gap is read, with its number.
    rows = read_all(xlsx_with_far_row(40))
    assert (rows[-1][0], rows[-1][1][:2]) == (40, ("A-2", "远处"))


def test_the_329_kb_xlsx_with_a_300_mb_cell_is_refused():
    bomb = hostile.xlsx_with_cell("BOMB", megabytes=300)
    assert len(bomb) < 400 * 1024
    expected = "“台账.xlsx”中的“xl/worksheets/sheet1.xml”压缩比超过 100:1 的上限(可能是压缩炸弹)"
    with pytest.raises(XlsxRefused, match=re.escape(expected)):
        read_all(bomb)
    assert expected in refusal(upload("台账.xlsx", bomb), SPREADSHEET)


def test_a_big_cell_that_compresses_plainly_is_refused_by_the_total(settings):
    settings.ARCHIVE_MAX_RATIO = 10_000  # the same file, only the total left to stop it
    bomb = hostile.xlsx_with_cell("BOMB", megabytes=300)
    with pytest.raises(XlsxRefused, match=re.escape("“台账.xlsx”解压后超过 50 MB 的上限")):
        read_all(bomb)


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row_and_column(settings):
    rows = read_all(hostile.xlsx_with_cell("正常"))
    assert rows[1][1][:2] == ("A-1", "正常")
    with pytest.raises(XlsxRefused) as error:
        read_all(hostile.xlsx_with_cell("长" * 40_000))
    assert str(error.value) == (
        "“台账.xlsx”的“项目”表第2行 B列有 40,000 个字符,超过单元格 32,767 个字符的上限。"
    )
    settings.XLSX_MAX_CELL_CHARS = 10  # the same check, a lower limit
    with pytest.raises(XlsxRefused, match="第2行 B列有 11 个字符"):
        read_all(hostile.xlsx_with_cell("x" * 11))


def test_a_file_that_is_no_workbook_is_refused_by_the_reader_too():
    for data, expected in [
        (b"", "是空文件"),
        (b"a,b\n1,2\n", "不是 Excel .xlsx 文件"),
        (hostile.docx_text(), "不是 Excel .xlsx 文件"),
    ]:
        with pytest.raises(XlsxRefused, match=expected):
            read_all(data)


# --- the pipeline answers anything with a result or its own refusal --------------------------

PROPERTY = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
KINDS = [PHOTO, DOCUMENT, SPREADSHEET, TEXT_DOCUMENT]
NAMES = st.sampled_from(["a.jpg", "a.png", "a.heic", "a.pdf", "a.docx", "a.xlsx", "a.txt", "a"])


def answered(data: bytes, name: str) -> None:
    """For every kind: a checked file or a ValidationError; the readers: their own refusals."""
    for kind in KINDS:
        try:
            checked = check_upload(upload(name, data), kind)
        except ValidationError as error:
            assert error.messages and all(error.messages)
        else:
            assert checked.content_type in kind.accepts
    try:
        read_all(data, name)
    except XlsxRefused as error:
        assert str(error)
    from tuijin.intake.forms import TextTooLong, Unreadable, read_docx

    with contextlib.suppress(TextTooLong, Unreadable, archives.ArchiveRefused):
        read_docx(io.BytesIO(data), name)


@PROPERTY
@given(st.binary(max_size=3000), NAMES)
def test_random_bytes_are_answered(data, name):
    answered(data, name)


def mutate(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in changes:
        out[position % len(out)] = value
    return bytes(out)


CHANGES = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8)
SEEDS = [
    hostile.docx_text(["第一段", "第二段"]),
    hostile.xlsx_with_cell("值"),
    hostile.jpeg_bytes(),
    hostile.heic_bytes(),
    hostile.huge_png(64, 64),
    hostile.docx_bomb(megabytes=2),
]


@PROPERTY
@given(st.sampled_from(range(len(SEEDS))), CHANGES, NAMES)
def test_damaged_documents_images_and_zips_are_answered(seed, changes, name):
    answered(mutate(SEEDS[seed], changes), name)


ENTRY = st.tuples(
    st.sampled_from(["[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "a/b.xml"]),
    st.binary(max_size=400)
    | st.sampled_from(
        [
            hostile.CONTENT_TYPES.format(main=hostile.DOCX_MAIN).encode(),
            b"<?xml version='1.0' encoding='bogus'?><a/>",
            b'<!DOCTYPE a [<!ENTITY b "ccccccccccc"><!ENTITY d "&b;&b;&b;&b;&b;">]><a>&d;</a>',
        ]
    ),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)


@PROPERTY
@given(st.lists(ENTRY, max_size=5), NAMES)
def test_random_zips_are_answered(entries, name):
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # a name twice is a case worth trying
        for entry_name, data, method in entries:
            archive.writestr(entry_name, data, compress_type=method)
    answered(out.getvalue(), name)


# --- through the forms -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_heic_photo_is_stored_as_jpeg_with_its_capture_time(media, org, staff):
    from tuijin.projects.models import ProjectFile
    from tuijin.projects.tests.factories import make_project

    project = make_project(name="犇星二期", unit="经济发展局")
    photo = upload("IMG_0001.HEIC", hostile.heic_bytes(), "image/heic")
    url = reverse("projects:file_upload", args=[project.pk])
    staff.post(url, {"files": [photo], "kind": "photo"})
    stored = ProjectFile.objects.get(project=project)
    assert stored.original_name == "IMG_0001.jpg" and stored.file.name.endswith(".jpg")
    assert f"{timezone.localtime(stored.taken_at):%Y-%m-%d %H:%M}" == "2026-05-01 10:20"
    assert Image.open(stored.file).format == "JPEG"


@pytest.mark.parametrize(
    ("name", "data", "kind", "expected"),
    [
        ("现场.jpg", hostile.HTML, "photo", "“现场.jpg”不是照片"),
        ("图.svg", hostile.SVG, "document", "“图.svg”不是可接受的文件"),
        ("说明.html", hostile.gif_html_polyglot(), "document", "“说明.html”不是可接受的文件"),
        ("航拍.jpg", b"\xff\xd8\xff" + bytes(21 * MB), "photo", "超过单个文件 20 MB 的上限"),
    ],
)
def test_project_files_are_refused_by_content(media, org, staff, name, data, kind, expected):
    from tuijin.projects.models import ProjectFile
    from tuijin.projects.tests.factories import make_project

    project = make_project(name="犇星二期", unit="经济发展局")
    url = reverse("projects:file_upload", args=[project.pk])
    response = staff.post(url, {"files": [upload(name, data)], "kind": kind}, follow=True)
    assert expected in response.content.decode()
    assert not ProjectFile.objects.exists()
    assert not any(media.rglob("*.*"))
