"""Facts read from an uploaded photo: content hashes, capture time and place.

Pure helpers over Pillow, no models: callers decide what to store and what to flag. The
upload pipeline (``core/uploads.py``) decodes each photo once, in the form, and fills a
``PhotoFacts`` with these helpers; services only read the facts.

* ``sha256`` identifies the exact bytes; ``dhash`` (a 64-bit difference hash) survives
  re-encoding, resizing and EXIF rotation, so a photo reused for another report is found
  even when the phone or a chat app has recompressed it.
* ``taken_at`` comes from EXIF DateTimeOriginal (or DateTime). EXIF keeps the phone's
  wall-clock time; it is read in the current Django time zone unless the photo also
  records its UTC offset (OffsetTimeOriginal, written by recent phones).
* ``latitude`` / ``longitude`` come from the EXIF GPS IFD, as degrees with 6 decimals.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from PIL import ExifTags, Image, ImageOps

MICRODEGREE = Decimal("0.000001")
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
EXIF_FORMAT = "%Y:%m:%d %H:%M:%S"


@dataclass(frozen=True)
class PhotoFacts:
    sha256: str
    dhash: str
    taken_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def dhash(image: Image.Image) -> str:
    """64-bit difference hash as 16 hex chars: 9x8 grayscale, each pixel vs its right one.

    The EXIF orientation is applied first, so a photo and its rotated-on-display twin
    hash alike. Large JPEGs are decoded at reduced scale (``draft``), which barely moves
    a 9x8 thumbnail but saves decoding a 12-megapixel frame.
    """
    image.draft("L", (256, 256))
    upright = ImageOps.exif_transpose(image)
    small = upright.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()  # one byte a pixel in mode L
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming(a_hex: str, b_hex: str) -> int:
    """Number of differing bits between two hex hashes (0 = same picture, ≤ ~10 = similar)."""
    return (int(a_hex, 16) ^ int(b_hex, 16)).bit_count()


def one_bit_apart(a_hex: str) -> list[str]:
    """The hash itself and the 64 hashes one bit away: for an indexed ``dhash__in`` lookup.

    Recompressing or slightly resizing a photo usually leaves its dhash equal or, near a tie
    between two neighbouring thumbnail pixels, one bit off; unrelated pictures differ in ~20+ bits.
    """
    value = int(a_hex, 16)
    return [a_hex] + [f"{value ^ (1 << bit):016x}" for bit in range(64)]


def exif_taken_at(exif: Image.Exif) -> dt.datetime | None:
    """Capture time: DateTimeOriginal (else DateTime), aware, in the current time zone."""
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = (
        sub.get(ExifTags.Base.OffsetTimeOriginal)
        if sub.get(ExifTags.Base.DateTimeOriginal)
        else sub.get(ExifTags.Base.OffsetTime)
    )
    text = clean(raw)
    if not text:
        return None
    zone = utc_offset(clean(offset)) or timezone.get_current_timezone()
    try:
        taken = dt.datetime.strptime(text[:19], EXIF_FORMAT).replace(tzinfo=zone)
    except ValueError:  # "0000:00:00 00:00:00", blanks, vendor junk
        return None
    return timezone.localtime(taken)


def utc_offset(text: str) -> dt.timezone | None:
    """EXIF OffsetTime* ("+08:00") as a fixed zone, or None."""
    try:
        sign = {"+": 1, "-": -1}[text[0]]
        hours, minutes = int(text[1:3]), int(text[4:6])
    except (IndexError, KeyError, ValueError):
        return None
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def exif_position(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude in degrees from the GPS IFD, or (None, None)."""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    latitude = gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    longitude = gps_degrees(
        gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)
    )
    if latitude is None or longitude is None:
        return None, None
    if abs(latitude) > 90 or abs(longitude) > 180:
        return None, None
    if latitude == 0 and longitude == 0:  # phones without a fix write zeros
        return None, None
    return quantize(latitude), quantize(longitude)


def gps_degrees(value, ref) -> Fraction | None:
    """(degrees, minutes, seconds) rationals plus an N/S/E/W ref as signed degrees."""
    if value is None:
        return None
    parts = value if isinstance(value, tuple | list) else (value,)
    try:
        numbers = [rational(part) for part in parts[:3]]
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if any(n is None or n < 0 for n in numbers):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers))
    return -degrees if clean(ref).upper()[:1] in {"S", "W"} else degrees


def rational(value) -> Fraction | None:
    """An EXIF rational (IFDRational, (num, den) pair, int or float) as a Fraction."""
    if isinstance(value, tuple | list) and len(value) == 2:
        numerator, denominator = value
    elif hasattr(value, "numerator") and hasattr(value, "denominator"):
        numerator, denominator = value.numerator, value.denominator
    else:
        number = float(value)
        return Fraction(number) if math.isfinite(number) else None
    if not denominator:
        return None  # x/0: the field is unset
    return Fraction(numerator) / Fraction(denominator)


def clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value).strip("\x00 ")


def quantize(degrees) -> Decimal:
    """Degrees as a Decimal with 6 places (about 0.1 m), as the models store them."""
    if isinstance(degrees, Fraction):
        value = Decimal(degrees.numerator) / Decimal(degrees.denominator)
    else:
        value = Decimal(str(degrees))
    return value.quantize(MICRODEGREE)


def distance_m(lat1, lon1, lat2, lon2) -> int:
    """Great-circle (haversine) distance in whole metres between two points in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))
