"""Evidence photos graded, not ritual (S3 现场核查).

Photos keep their capture time and place (EXIF, else the browser's geolocation); a photo
whose content was already used for another report or item points at its first use
(``duplicate_of``); a verification far from its project is flagged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone

from tuijin.core.photos import MICRODEGREE, distance_m, one_bit_apart
from tuijin.core.rules_settings import setting
from tuijin.core.uploads import facts_of
from tuijin.supervision.models import EvidencePhoto, SupervisionItem

# A flat or smoothly graded picture (a blank wall, a black frame) hashes to nearly all 0s
# or 1s: such hashes say nothing about content, so only sha256 may match them.
MIN_DHASH_BITS = 4
STALE_AFTER = dt.timedelta(days=1)


def photo_fields(
    item: SupervisionItem, uploads, *, feedback=None, verification=None, browser_location=None
) -> list[dict]:
    """The fields of an ``EvidencePhoto`` for each checked upload (``services.save_photos``
    writes them). The photos were decoded and their facts read in the form
    (``core.uploads.check_upload``), before the transaction: nothing is decoded here.
    ``browser_location`` is a (latitude, longitude) pair from the page's geolocation,
    used for photos whose EXIF has no position.
    """
    read = [(upload, facts_of(upload)) for upload in uploads]
    fallback = coordinates(browser_location)
    rows = []
    for upload, facts in read:
        if facts.has_location:
            latitude, longitude, source = facts.latitude, facts.longitude, "exif"
        elif fallback:
            latitude, longitude, source = *fallback, "browser"
        else:
            latitude = longitude = None
            source = ""
        rows.append(
            {
                "item": item,
                "feedback": feedback,
                "verification": verification,
                "file": upload,
                "original_name": (upload.name or "")[:255],
                "sha256": facts.sha256,
                "dhash": facts.dhash,
                "taken_at": facts.taken_at,
                "latitude": latitude,
                "longitude": longitude,
                "location_source": source,
                # Repeats within one batch share item/feedback/verification and are excluded
                # from the lookup anyway, so finding first uses before writing is the same.
                "duplicate_of": first_use(item, facts.sha256, facts.dhash, feedback, verification),
            }
        )
    return rows


def first_use(item, sha256: str, dhash: str, feedback=None, verification=None):
    """The earliest photo with the same bytes or picture used elsewhere, or None.

    "Elsewhere" is another item, or the same item under another feedback/verification;
    repeats within one report are not flagged. The same picture means a dhash equal or
    one bit off (recompression or a small resize rarely flips more); both lookups go through the sha256
    and dhash indexes (65 probes), never a scan.
    """
    same = Q(sha256=sha256)
    if informative(dhash):
        same |= Q(dhash__in=one_bit_apart(dhash))
    return (
        EvidencePhoto.objects.filter(same)
        .exclude(item=item, feedback=feedback, verification=verification)
        .order_by("uploaded_at", "pk")
        .first()
    )


def informative(dhash: str) -> bool:
    return MIN_DHASH_BITS <= int(dhash, 16).bit_count() <= 64 - MIN_DHASH_BITS


def coordinates(location) -> tuple[Decimal, Decimal] | None:
    """A (latitude, longitude) pair from a form or JSON as 6-place Decimals, or None."""
    if not location:
        return None
    try:
        latitude, longitude = (Decimal(str(v)).quantize(MICRODEGREE) for v in location)
    except (TypeError, ValueError, InvalidOperation):
        return None
    if not (latitude.is_finite() and longitude.is_finite()):
        return None
    if abs(latitude) > 90 or abs(longitude) > 180 or (latitude == 0 and longitude == 0):
        return None
    return latitude, longitude


def verification_distance(item: SupervisionItem, latitude, longitude) -> int | None:
    """Metres between a verification's position and the item's project, if both are known."""
    project = item.project
    if latitude is None or longitude is None or project is None:
        return None
    if project.latitude is None or project.longitude is None:
        return None
    return distance_m(latitude, longitude, project.latitude, project.longitude)


def is_far(distance: int | None) -> bool:
    """Farther from the project than the admin's ``VERIFY_FAR_METERS`` (unknown: not far)."""
    return distance is not None and distance > setting("VERIFY_FAR_METERS")


def evidence_flags(photo: EvidencePhoto) -> list[str]:
    """Warnings shown next to a photo. For lists, ``select_related("duplicate_of__item")``."""
    flags = []
    if earlier := photo.duplicate_of:
        if earlier.item_id == photo.item_id:
            flags.append("与本事项此前上报的照片重复")
        else:
            flags.append(f"与此前《{earlier.item.title}》中的照片重复")
    if photo.taken_at is None:
        flags.append("无拍摄时间")
    else:
        uploaded = photo.uploaded_at or timezone.now()
        age = uploaded - photo.taken_at
        if age > STALE_AFTER:
            flags.append(f"拍摄于{occasion(photo)}前{age.days}天")
        elif -age > STALE_AFTER:  # the phone's clock is wrong, or the EXIF was edited
            flags.append("拍摄时间晚于上传时间")
    if photo.latitude is None or photo.longitude is None:
        flags.append("无位置信息")
    return flags


def occasion(photo: EvidencePhoto) -> str:
    if photo.verification_id:
        return "核查"
    if photo.feedback_id:
        return "反馈"
    return "上传"
