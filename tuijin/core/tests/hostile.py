"""Hostile files made in the test, cheaply: zip bombs, a huge PNG, polyglots, a HEIC photo.

Each is built the way an attacker would (a real deflate stream, a real PNG), not mocked. The
bomb's deflate stream is one compressed megabyte (ended by a full flush, so it refers to
nothing before it) repeated: a 1.5 MB .docx whose ``word/document.xml`` unpacks to 419 MB,
made in a fraction of a second without ever holding 419 MB.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
PARAGRAPH = "<w:p><w:r><w:t>随州高新区项目推进情况</w:t></w:r></w:p>".encode()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- zips --------------------------------------------------------------------------------------


def repeated_deflate(*parts: tuple[bytes, int]) -> tuple[bytes, int, int]:
    """A raw deflate stream of each (bytes × times) in turn, its CRC-32 and unpacked size,
    made without ever holding the unpacked whole: each part is compressed once, ended by a
    full flush (so it refers to nothing before it), and its compressed form repeated."""
    stream, crc, size = [], 0, 0
    for data, times in parts:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        stream.append((compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)) * times)
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    stream.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())  # an empty final block
    return b"".join(stream), crc, size


LOCAL = "<IHHHHHIIIHH"  # signature, version, flags (UTF-8 names), method, time, date, CRC, sizes …
CENTRAL = "<IHHHHHHIIIHHHHHII"
END = "<IHHHHIIH"
DOS_DATE = 0x21  # 1980-01-01


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, compressed bytes, method, crc, uncompressed size), honest headers."""
    out, directory = io.BytesIO(), []
    for name, data, method, crc, size in entries:
        encoded = name.encode()
        offset = out.tell()
        sizes = (crc, len(data), size, len(encoded))
        out.write(struct.pack(LOCAL, 0x04034B50, 20, 0x800, method, 0, DOS_DATE, *sizes, 0))
        out.write(encoded + data)
        central = (0x02014B50, 20, 20, 0x800, method, 0, DOS_DATE, *sizes, 0, 0, 0, 0, 0, offset)
        directory.append(struct.pack(CENTRAL, *central) + encoded)
    start = out.tell()
    out.write(b"".join(directory))
    size = out.tell() - start
    out.write(struct.pack(END, 0x06054B50, 0, 0, len(directory), len(directory), size, start, 0))
    return out.getvalue()


def stored(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    return name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data)


def docx_bomb(megabytes: int = 400) -> bytes:
    """A .docx whose ``word/document.xml`` unpacks to ``megabytes`` MB (1.5 MB for 400)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
    chunk = PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))
    data, crc, size = repeated_deflate((head.encode(), 1), (chunk, megabytes))
    return raw_zip(
        [
            stored("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN).encode()),
            stored("_rels/.rels", RELS.encode()),
            ("word/document.xml", data, zipfile.ZIP_DEFLATED, crc, size),
        ]
    )


def xlsx_with_cell(value: str = "x", megabytes: int = 0) -> bytes:
    """A workbook (as openpyxl writes it) whose B2 holds ``value`` (openpyxl itself would cut
    it at 32,767 characters), or, with ``megabytes``, that many megabytes of "A" in its place
    (a 300 MB cell in a file of ~300 KB)."""
    from xml.sax.saxutils import escape

    from openpyxl import Workbook

    placeholder = "@@CELL@@"
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(["编号", "名称"])
    sheet.append(["A-1", placeholder])
    out = io.BytesIO()
    book.save(out)
    entries = []
    with zipfile.ZipFile(out) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if placeholder.encode() not in data:  # the sheet (inline strings) or sharedStrings
                entries.append(stored(info.filename, data))
                continue
            start, _sep, end = data.partition(placeholder.encode())
            chunk = (b"A" * MB, megabytes) if megabytes else (escape(value).encode(), 1)
            packed, crc, size = repeated_deflate((start, 1), chunk, (end, 1))
            entries.append((info.filename, packed, zipfile.ZIP_DEFLATED, crc, size))
    return raw_zip(entries)


def docx(document_xml: bytes, main: str = DOCX_MAIN, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_text(paragraphs: list[str] | None = None, repeat: int = 1) -> bytes:
    """A .docx of paragraphs (the list ``repeat`` times), written as Word writes them."""
    body = b"".join(
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() for text in paragraphs or ["正文"]
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
    return docx(head.encode() + body * repeat + b"</w:body></w:document>")


# --- images ------------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int = 12_500, height: int = 12_500) -> bytes:
    """A valid 1-bit greyscale PNG of width × height, compressed row by row (~20 KB)."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def photo_exif(taken="2026:05:01 10:20:30", gps=True) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.ImageDescription] = "<script>alert(1)</script>"  # dropped when re-encoded
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:  # 31°41'24" N, 113°22'12" E
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {1: "N", 2: (31.0, 41.0, 24.0), 3: "E", 4: (113.0, 22.0, 12.0)}
        )
    return exif


def picture(size=(320, 240)) -> Image.Image:
    image = Image.new("RGB", size, (40, 90, 160))
    image.paste((200, 120, 40), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    return image


def jpeg_bytes(exif: Image.Exif | None = None, **options) -> bytes:
    out = io.BytesIO()
    picture().save(
        out, "JPEG", quality=90, exif=exif if exif is not None else photo_exif(), **options
    )
    return out.getvalue()


def heic_bytes() -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    picture().save(out, "HEIF", quality=80, exif=photo_exif().tobytes())
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


def gif_html_polyglot() -> bytes:
    """A real GIF that a browser sniffing it as text also runs as a page."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF", comment=HTML)
    return out.getvalue() + HTML
