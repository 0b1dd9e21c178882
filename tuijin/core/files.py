"""Uploaded files: stored under random names, served only as far as their record is visible.

On-site photos are the evidence of the whole supervision system, so nothing under the media
folder is public. An app registers each model that holds a file (``register_stored_file`` in
its ``AppConfig.ready``); the ``file`` view loads the record through ``get_for_user`` and
answers with the file: a streamed ``FileResponse`` by default, an ``X-Accel-Redirect`` to
nginx's ``internal`` location when ``FILES_X_ACCEL_PREFIX`` is set, or a redirect to the
storage's short-lived signed URL on S3-compatible storage.

What may be stored is decided before (``core/uploads.py``: size, type by content, images
re-encoded). Stored names are random (``random_name``): the original name stays in the record
and comes back as the download name. Photos get one thumbnail, made once by a background task
(``make_thumbnail``) and served the same way; a thumbnail carries no EXIF,
so a photo's location never leaves in it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models.signals import post_save
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from huey.contrib.djhuey import db_task
from PIL import Image, ImageOps

THUMBNAIL_SIZE = (480, 480)
THUMBNAIL_DIR = "thumbs"
SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


def random_name(prefix: str, filename: str) -> str:
    """``<prefix>/<yyyy>/<mm>/<32 hex><.ext>``: no user text on disk, no guessable path."""
    extension = PurePosixPath(filename or "").suffix.lower()
    if not SAFE_EXTENSION.fullmatch(extension):
        extension = ""
    return f"{prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"


# --- which models hold files ---------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    field: str  # the FileField / ImageField
    name_field: str  # the original file name, sent back as the download name
    thumbnail: bool  # photos: made once, in the background


STORED_FILES: dict[str, StoredFile] = {}


def register_stored_file(model, field: str, name_field: str, thumbnail: bool = False) -> None:
    """Make ``model``'s file servable through the ``file`` view (and thumbnailed)."""
    STORED_FILES[model._meta.label_lower] = StoredFile(field, name_field, thumbnail)
    if thumbnail:
        post_save.connect(_thumbnail_later, sender=model, dispatch_uid=f"thumb-{model}")


def stored_file_of(label: str) -> StoredFile | None:
    return STORED_FILES.get(label)


def _thumbnail_later(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        label, pk = sender._meta.label_lower, instance.pk
        transaction.on_commit(lambda: make_thumbnail(label, pk))


# --- thumbnails ------------------------------------------------------------------------------


@db_task()
def make_thumbnail(label: str, pk: int) -> str | None:
    """The thumbnail of a newly stored photo (queued when its record is created)."""
    stored = stored_file_of(label)
    obj = apps.get_model(label)._default_manager.filter(pk=pk).first()
    if stored is None or obj is None:
        return None
    return write_thumbnail(getattr(obj, stored.field))


def thumbnail_name(name: str) -> str:
    return f"{THUMBNAIL_DIR}/{PurePosixPath(name).with_suffix('.jpg')}"


def write_thumbnail(fieldfile) -> str | None:
    """Write the JPEG thumbnail of a stored photo, without its EXIF; None if it is no image."""
    target = thumbnail_name(fieldfile.name)
    storage = fieldfile.storage
    if storage.exists(target):
        return target
    try:
        with fieldfile.open("rb") as source, Image.open(source) as image:
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG: decode at reduced scale
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail(THUMBNAIL_SIZE)
            out = BytesIO()
            upright.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return storage.save(target, ContentFile(out.getvalue()))


# --- serving -------------------------------------------------------------------------------

OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
LEGACY_OFFICE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
SHOWN_INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}


def sniff(head: bytes, name: str) -> str:
    """The content type from the file's first bytes (never from what the uploader claimed);
    the extension only tells apart formats that share a container (docx/xlsx in a zip)."""
    extension = PurePosixPath(name).suffix.lower()
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return OFFICE_TYPES.get(extension, "application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return LEGACY_OFFICE_TYPES.get(extension, "application/octet-stream")
    return "application/octet-stream"


def file_response(fieldfile, download_name: str):
    """Answer with a stored file: the type sniffed, shown inline only if a browser renders it
    safely, never sniffed by the browser, sandboxed if it is opened anyway."""
    storage = fieldfile.storage
    if not isinstance(storage, FileSystemStorage):
        # S3-compatible storage (django-storages): its URLs are signed and short-lived.
        return HttpResponseRedirect(fieldfile.url)
    with fieldfile.open("rb") as handle:
        head = handle.read(16)
    content_type = sniff(head, fieldfile.name)
    inline = content_type in SHOWN_INLINE
    download_name = download_name or PurePosixPath(fieldfile.name).name
    if settings.FILES_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.FILES_X_ACCEL_PREFIX + quote(fieldfile.name)
    else:
        response = FileResponse(fieldfile.open("rb"), content_type=content_type)
        response["Content-Length"] = fieldfile.size
    response["Content-Disposition"] = content_disposition_header(not inline, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    # The record's visibility can change (a transfer, a role): browsers keep no shared copy.
    response["Cache-Control"] = "private, max-age=3600"
    return response
