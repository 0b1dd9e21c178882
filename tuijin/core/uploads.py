"""The one way an uploaded file gets in: every file field of every form goes through here.

``check_upload(upload, kind)`` runs in the form's cleaning, before any transaction opens, and
answers a ``CheckedFile`` or a ``ValidationError`` whose message (Chinese, translated for the
user's language) names the file and the reason or the limit (the form then comes back bound, with everything else kept):

1. **Size** per kind of field (``UPLOAD_PHOTO_MAX_MB``, ``UPLOAD_DOCUMENT_MAX_MB``,
   ``UPLOAD_SPREADSHEET_MAX_MB``, ``UPLOAD_TEXT_MAX_MB``); an empty file is refused by name.
2. **Type from the content** (``detect``: magic bytes; for a zip, its ``[Content_Types].xml``),
   never from the name or the browser's header, against the kind's allow-list. HTML, SVG,
   scripts, executables, GIF (and so GIF+HTML polyglots), legacy .doc/.xls and macro-enabled
   OOXML are refused.
3. **Images** (JPEG, PNG, WebP, HEIC/HEIF) are verified, refused above ``UPLOAD_MAX_PIXELS``
   from their header (Pillow's ``MAX_IMAGE_PIXELS`` is set to the same, so no decoder goes
   further), decoded once, their facts read (``core.photos``: hashes, EXIF capture time and
   GPS) and **re-encoded** in the same format (HEIC as JPEG) with only the EXIF the app needs
   (orientation, times, GPS, camera): whatever else rode in the file (scripts in comments,
   trailing HTML) is gone.
4. **.docx / .xlsx** must be a zip whose main part is what the kind says, opened within the
   archive limits (``core.archives``). PDF must start with ``%PDF-``.

The stored name stays random (``core.files.random_name``); the checked file's ``name`` is the
original one with the extension of what it really is (``IMG_1.HEIC`` is stored and offered as
``IMG_1.jpg``). Services take checked files (``facts_of``) and never decode an image themselves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from PIL import ExifTags, Image

from tuijin.core import archives
from tuijin.core.files import OFFICE_TYPES
from tuijin.core.photos import PhotoFacts, dhash, exif_position, exif_taken_at

JPEG, PNG, WEBP, HEIC, GIF = "image/jpeg", "image/png", "image/webp", "image/heic", "image/gif"
PDF, TEXT, ZIP = "application/pdf", "text/plain", "application/zip"
DOCX, XLSX = OFFICE_TYPES[".docx"], OFFICE_TYPES[".xlsx"]
OLE = "application/x-ole-storage"  # legacy .doc/.xls/.ppt (and their macros)
UNKNOWN = "application/octet-stream"
EXECUTABLE = "application/x-executable"  # Windows PE, ELF, Mach-O
IMAGES = frozenset({JPEG, PNG, WEBP, HEIC})
PILLOW_FORMATS = {JPEG: {"JPEG", "MPO"}, PNG: {"PNG"}, WEBP: {"WEBP"}, HEIC: {"HEIF"}}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
HEIF_BRANDS |= {b"mif1", b"msf1", b"mif2"}
# The main part an OOXML package must declare to be what its kind says.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES_MAX = 256 * 1024
EXTENSIONS = {
    JPEG: (".jpg", ".jpeg", ".jpe"),
    PNG: (".png",),
    WEBP: (".webp",),
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    TEXT: (".txt",),
}
LABELS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", HEIC: "HEIC", PDF: "PDF"}
LABELS |= {DOCX: "Word(.docx)", XLSX: "Excel(.xlsx)", TEXT: gettext_lazy("文本(.txt)")}
# A name that claims one of these must hold it.
CLAIMED = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}
MB = 1024 * 1024
# EXIF kept in a re-encoded photo: what the verification reads and what a reviewer checks.
KEPT_BASE_TAGS = (
    ExifTags.Base.Orientation,
    ExifTags.Base.DateTime,
    ExifTags.Base.Make,
    ExifTags.Base.Model,
)
KEPT_EXIF_TAGS = (
    ExifTags.Base.DateTimeOriginal,
    ExifTags.Base.DateTimeDigitized,
    ExifTags.Base.OffsetTime,
    ExifTags.Base.OffsetTimeOriginal,
    ExifTags.Base.OffsetTimeDigitized,
)


def configure_pillow() -> None:
    """HEIC/HEIF through pillow-heif; no decoder goes past the pixel limit (core's ready())."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    # Pillow warns above this and refuses above twice this; check_upload refuses above it.
    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS


@dataclass(frozen=True)
class UploadKind:
    """What a file field accepts: content types and the setting holding its size limit."""

    key: str
    accepts: frozenset[str]
    limit_setting: str
    refusal: str  # lazy; "%(name)s" is the file's name

    @property
    def limit_mb(self) -> int:
        return getattr(settings, self.limit_setting)

    def help(self, lead: str = "") -> str:
        separator = pgettext("list separator", "、")
        order = sorted(self.accepts, key=list(LABELS).index)
        formats = separator.join(str(LABELS[t]) for t in order)
        return _("%(lead)s%(formats)s,每个不超过 %(limit)s MB") % {
            "lead": lead,
            "formats": formats,
            "limit": self.limit_mb,
        }

    def lazy_help(self, lead: str = ""):
        """The help text, read when shown (the limit is a setting)."""
        return lazy(self.help, str)(lead)


PHOTO = UploadKind(
    "photo",
    IMAGES,
    "UPLOAD_PHOTO_MAX_MB",
    gettext_lazy(
        "“%(name)s”不是照片:只接受 JPEG、PNG、WebP、HEIC 格式的图片(按文件内容判断,不看扩展名)。"
    ),
)
DOCUMENT = UploadKind(
    "document",
    IMAGES | {PDF, DOCX, XLSX},
    "UPLOAD_DOCUMENT_MAX_MB",
    gettext_lazy(
        "“%(name)s”不是可接受的文件:只接受 PDF、Word(.docx)、Excel(.xlsx)"
        "和 JPEG、PNG、WebP、HEIC 图片(按文件内容判断,不看扩展名)。"
    ),
)
SPREADSHEET = UploadKind(
    "spreadsheet",
    frozenset({XLSX}),
    "UPLOAD_SPREADSHEET_MAX_MB",
    gettext_lazy(
        "“%(name)s”不是 Excel .xlsx 文件(按文件内容判断)。请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
    ),
)
TEXT_DOCUMENT = UploadKind(
    "text",
    frozenset({DOCX, TEXT}),
    "UPLOAD_TEXT_MAX_MB",
    gettext_lazy("只支持 .txt 或 .docx 文件,“%(name)s”不是。"),
)

OLD_OFFICE = gettext_lazy(
    "“%(name)s”是旧版 Office 文件(.doc、.xls),请在 Office 或 WPS 中“另存为” .docx / .xlsx 后上传。"
)


class CheckedFile(File):
    """An upload that passed ``check_upload``: the bytes to store (re-encoded for an image),
    the type they really are, the name to keep, and a photo's facts."""

    def __init__(self, file, name: str, *, content_type: str, original_name: str, facts=None):
        super().__init__(file, name)
        self.content_type = content_type
        self.original_name = original_name
        self.facts: PhotoFacts | None = facts

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGES


def facts_of(upload) -> PhotoFacts:
    """A checked photo's facts (services call this; they never decode an image)."""
    facts = getattr(upload, "facts", None)
    if not isinstance(upload, CheckedFile) or facts is None:
        raise TypeError("a photo must pass core.uploads.check_upload (in the form) first")
    return facts


def refuse(message: str, code: str = "invalid_upload") -> ValidationError:
    return ValidationError(message, code=code)


def shown_name(upload) -> str:
    name = PurePosixPath(getattr(upload, "name", "") or "").name or _("文件")
    return name if len(name) <= 80 else name[:77] + "…"


def check_upload(upload, kind: UploadKind) -> CheckedFile:
    """Size, type by content, images decoded and re-encoded, archives opened within limits."""
    name = shown_name(upload)
    size = upload.size
    if not size:
        raise refuse(empty_refusal(name), "empty")
    limit = kind.limit_mb
    if size > limit * MB:
        raise refuse(
            _("“%(name)s”大小为 %(size)s MB,超过单个文件 %(limit)s MB 的上限。")
            % {"name": name, "size": f"{size / MB:.1f}", "limit": limit},
            "file_too_large",
        )
    if sniff_head(upload) == ZIP and not kind.accepts & {DOCX, XLSX}:
        raise refuse(kind.refusal % {"name": name}, "file_type")  # no zip opened for nothing
    try:
        content_type = detect(upload, name)
    except archives.ArchiveRefused as exc:
        raise refuse(str(exc), "archive") from None
    if content_type == OLE and kind.accepts & {DOCX, XLSX}:
        raise refuse(OLD_OFFICE % {"name": name}, "file_type")
    if content_type not in kind.accepts:
        raise refuse(kind.refusal % {"name": name}, "file_type")
    claimed = CLAIMED.get(PurePosixPath(name).suffix.lower())
    if claimed and claimed != content_type:
        # A document that says what it is must be it (a photo's extension may be wrong).
        raise refuse(
            _("无法读取“%(name)s”:内容不是有效的 %(format)s 文件。")
            % {"name": name, "format": LABELS[claimed]},
            "file_type",
        )
    if content_type in IMAGES:
        return checked_image(upload, name, content_type)
    if content_type in (DOCX, XLSX):
        try:
            archives.check_archive(upload, name)
        except archives.ArchiveRefused as exc:
            raise refuse(str(exc), "archive") from None
    upload.seek(0)
    return CheckedFile(
        upload.file if hasattr(upload, "file") else upload,
        stored_name(name, content_type),
        content_type=content_type,
        original_name=name,
    )


def check_uploads(uploads, kind: UploadKind) -> list[CheckedFile]:
    """Every upload checked; one ``ValidationError`` naming each refused file."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, kind))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return checked


def stored_name(name: str, content_type: str) -> str:
    """The original name, with the extension of what the file is (``a.HEIC`` → ``a.jpg``)."""
    path = PurePosixPath(name)
    extensions = EXTENSIONS.get(content_type, ())
    if path.suffix.lower() in extensions or not extensions:
        return name
    return (path.stem or _("文件")) + extensions[0]


# --- what the bytes are ------------------------------------------------------------------------


def detect(file, name: str = "") -> str:
    """The content type from the bytes alone. A zip is opened (within the archive limits,
    ``ArchiveRefused`` otherwise) to tell a .docx or .xlsx from any other zip."""
    sniffed = sniff_head(file)
    if sniffed == ZIP:
        return ooxml_main(file, name or _("文件"))[0]
    # Bytes no format claims may be text in any encoding; only intake accepts text, and its
    # repair step tells text from binary junk with its own message.
    return TEXT if sniffed == UNKNOWN else sniffed


def sniff_head(file) -> str:
    """The type the first bytes give (ZIP for any zip; UNKNOWN when they say nothing)."""
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        return EXECUTABLE
    return UNKNOWN


def ooxml_main(file, name: str) -> tuple[str, str]:
    """(DOCX or XLSX, its main part) when the package declares one such main part and holds
    it, else (ZIP, "")."""
    archive = archives.open_zip(file, name)
    try:
        members = set(archive.namelist())
        if CONTENT_TYPES_PART not in members:
            return ZIP, ""
        budget = archives.Budget(name)
        raw = budget.read(archive, CONTENT_TYPES_PART, CONTENT_TYPES_MAX)
    finally:
        archive.close()
        file.seek(0)
    try:
        root = ElementTree.fromstring(raw)
    except Exception:  # ParseError, an unknown encoding …: not a package we know
        return ZIP, ""
    found = set()
    for element in root:
        if element.tag.rsplit("}", 1)[-1] != "Override":
            continue
        kind = OOXML_MAIN.get(element.get("ContentType", ""))
        part = element.get("PartName", "").lstrip("/")
        if kind and part in members:
            found.add((kind, part))
    return found.pop() if len(found) == 1 else (ZIP, "")


# --- images ------------------------------------------------------------------------------------


def empty_refusal(name: str) -> str:
    return _("“%(name)s”是空文件(0 字节),请重新选择。") % {"name": name}


def pixel_text(pixels: int) -> str:
    """“4000 万像素” in Chinese (counted in 万, ten thousands); “40,000,000 pixels” otherwise."""
    if pixels % 10_000 == 0 and (get_language() or "").lower().startswith("zh"):
        return _("%(count)s 万像素") % {"count": pixels // 10_000}
    return _("%(pixels)s 像素") % {"pixels": f"{pixels:,}"}


def checked_image(upload, name: str, content_type: str) -> CheckedFile:
    """Verify, decode within the pixel limit, read the facts, re-encode."""
    limit = settings.UPLOAD_MAX_PIXELS
    too_big = _("“%(name)s”的像素超过 %(limit)s的上限,请缩小后上传。") % {
        "name": name,
        "limit": pixel_text(limit),
    }
    digest = hashlib.sha256()
    upload.seek(0)
    while chunk := upload.read(MB):
        digest.update(chunk)
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in PILLOW_FORMATS[content_type]:
                raise ValueError(probe.format)
            width, height = probe.size
            if width * height > limit:
                raise refuse(
                    _("“%(name)s”为 %(width)s×%(height)s 像素,超过 %(limit)s的上限,请缩小后上传。")
                    % {"name": name, "width": width, "height": height, "limit": pixel_text(limit)},
                    "too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            exif = image.getexif()
            latitude, longitude = exif_position(exif)
            facts = PhotoFacts(
                sha256=digest.hexdigest(),
                dhash=dhash(image),
                taken_at=exif_taken_at(exif),
                latitude=latitude,
                longitude=longitude,
            )
            data, stored_type = reencode(image, content_type, kept_exif(exif))
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise refuse(too_big, "too_many_pixels") from None
    except Exception:  # any decoder failure on hostile bytes is the same refusal
        raise refuse(
            _("“%(name)s”不是可识别的图片文件。") % {"name": name}, "not_an_image"
        ) from None
    finally:
        upload.seek(0)
    return CheckedFile(
        BytesIO(data),
        stored_name(name, stored_type),
        content_type=stored_type,
        original_name=name,
        facts=facts,
    )


def kept_exif(exif: Image.Exif) -> bytes:
    """A fresh EXIF block with only the tags in ``KEPT_*`` and the GPS directory (without GPS
    if a value cannot be written again; the facts were read from the original already)."""
    source = exif.get_ifd(ExifTags.IFD.Exif)
    times = {tag: source[tag] for tag in KEPT_EXIF_TAGS if tag in source}
    gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
    for with_gps in (True, False):
        kept = Image.Exif()
        for tag in KEPT_BASE_TAGS:
            if tag in exif:
                kept[tag] = exif[tag]
        if times:
            kept.get_ifd(ExifTags.IFD.Exif).update(times)
        if gps and with_gps:
            kept.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
        if not (len(kept) or times or (gps and with_gps)):
            return b""
        try:
            return kept.tobytes()
        except Exception:  # odd values from a hostile file: drop them
            continue
    return b""


def reencode(image: Image.Image, content_type: str, exif: bytes) -> tuple[bytes, str]:
    """The decoded picture written anew: same format (HEIC → JPEG), the kept EXIF, the
    colour profile; nothing else from the original file."""
    out = BytesIO()
    options = {"exif": exif} if exif else {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc
    # Savers fall back on what the original carried (a JPEG comment, XMP, PNG text): only
    # what shapes the picture is kept.
    image.info = {key: image.info[key] for key in ("transparency", "dpi") if key in image.info}
    if content_type == PNG:
        image.save(out, "PNG", **options)
        return out.getvalue(), PNG
    if content_type == WEBP:
        frame = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        frame.save(out, "WEBP", quality=90, **options)
        return out.getvalue(), WEBP
    if content_type == JPEG and image.format in ("JPEG", "MPO"):
        # The original's quantisation tables: no visible loss from the second encoding.
        image.save(out, "JPEG", quality="keep", subsampling="keep", **options)
        return out.getvalue(), JPEG
    frame = image if image.mode in ("RGB", "L", "CMYK") else image.convert("RGB")
    frame.save(out, "JPEG", quality=90, **options)
    return out.getvalue(), JPEG


# --- form fields -------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """One file, checked by ``check_upload`` for ``kind``: cleans to a ``CheckedFile``.
    ``kind=None`` leaves the check to the form (its kind depends on another field)."""

    def __init__(self, *args, kind: UploadKind | None, **kwargs):
        self.kind = kind
        if kind is not None:
            kwargs.setdefault("help_text", kind.lazy_help())
        super().__init__(*args, **kwargs)

    def clean_one(self, upload, initial=None):
        if getattr(upload, "size", None) == 0:  # Django's own message names no file
            raise refuse(empty_refusal(shown_name(upload)), "empty")
        upload = super().clean(upload, initial)
        if upload and self.kind is not None:
            return check_upload(upload, self.kind)
        return upload

    def clean(self, data, initial=None):
        return self.clean_one(data, initial) if data else super().clean(data, initial)


class MultipleUploadField(UploadField):
    """Several files in one input (photos taken on a phone); each refused file is named."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(self.clean_one(upload, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked
