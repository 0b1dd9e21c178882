"""The public copies of a project photo: a bounded JPEG and a thumbnail with no EXIF at all.

The stored original keeps its capture time and place (the verification reads them); what the
public page shows is drawn anew from the decoded pixels, orientation applied, so no EXIF, XMP,
comment or maker note of the original can travel with it. Only the colour profile is kept (it
describes colours, not the photo's place or device)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

LARGE_SIZE = (1600, 1600)  # the longest side of the copy a visitor opens
THUMB_SIZE = (480, 480)  # as the site's own thumbnails (core.files.THUMBNAIL_SIZE)


class NotAnImage(ValueError):
    """The stored file cannot be decoded as a picture."""


@dataclass(frozen=True)
class Copies:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def bare(image: Image.Image) -> Image.Image:
    """The picture's pixels in a new RGB image: nothing of the original's metadata."""
    rgb = image.convert("RGB")
    return Image.frombytes("RGB", rgb.size, rgb.tobytes())


def jpeg(image: Image.Image, icc: bytes | None) -> bytes:
    out = BytesIO()
    options = {"icc_profile": icc} if icc else {}
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True, **options)
    return out.getvalue()


def public_copies(fieldfile) -> Copies:
    """The copy and the thumbnail of a stored photo (``NotAnImage`` if it is none)."""
    try:
        with fieldfile.open("rb") as source, Image.open(source) as image:
            image.draft("RGB", LARGE_SIZE)  # JPEG: decode at reduced scale when it can
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            large = bare(upright)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from None
    large.thumbnail(LARGE_SIZE, Image.Resampling.LANCZOS)
    small = large.copy()
    small.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    return Copies(
        image=ContentFile(jpeg(large, icc), name="photo.jpg"),
        thumbnail=ContentFile(jpeg(small, icc), name="thumb.jpg"),
        width=large.width,
        height=large.height,
    )
