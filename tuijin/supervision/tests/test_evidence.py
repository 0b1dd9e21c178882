"""Evidence photos: EXIF time and place, reuse detection, distance from the project."""

import datetime as dt
import io
import random
import re
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from constance import config
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from tuijin.core.photos import distance_m, hamming, one_bit_apart
from tuijin.core.uploads import PHOTO, check_upload, check_uploads
from tuijin.org.models import Person, Unit
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services
from tuijin.supervision.evidence import evidence_flags, is_far, verification_distance
from tuijin.supervision.models import EvidencePhoto, Feedback, SupervisionItem, Verification

# 随州高新区, roughly; the project site the tests measure from.
SITE = (Decimal("31.690000"), Decimal("113.370000"))
BEIJING = ZoneInfo("Asia/Shanghai")


# --- building real JPEGs ---------------------------------------------------------------


def picture(seed: int, size=(360, 320)) -> Image.Image:
    """A smooth, textured picture: a random 9x8 grid of colours blown up bicubically.

    Neighbouring cells differ by at least 40 grey levels, so the 9x8 difference hash
    is stable under JPEG recompression and small resizes, as a real scene would be.
    """
    rng = random.Random(seed)
    grid = Image.new("RGB", (9, 8))
    for y in range(8):
        previous = None
        for x in range(9):
            while True:
                grey = rng.randrange(20, 236)
                if previous is None or abs(grey - previous) >= 40:
                    break
            previous = grey
            grid.putpixel((x, y), (grey, min(255, grey + 15), max(0, grey - 15)))
    return grid.resize(size, Image.Resampling.BICUBIC)


def exif_for(taken=None, gps=None, orientation=None) -> Image.Exif:
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        (lat_ref, lat), (lon_ref, lon) = gps
        ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        ifd[ExifTags.GPS.GPSLatitudeRef] = lat_ref
        ifd[ExifTags.GPS.GPSLatitude] = lat
        ifd[ExifTags.GPS.GPSLongitudeRef] = lon_ref
        ifd[ExifTags.GPS.GPSLongitude] = lon
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    return exif


def jpeg(image: Image.Image, name="photo.jpg", quality=90, **exif) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif_for(**exif))
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def copy_of(upload: SimpleUploadedFile, name="copy.jpg") -> SimpleUploadedFile:
    upload.seek(0)
    return SimpleUploadedFile(name, upload.read(), content_type="image/jpeg")


def read_photo(upload):
    """The facts the upload pipeline reads in the form (before any transaction)."""
    return check_upload(upload, PHOTO).facts


def save_photos(item, uploads, **kwargs):
    """As the views call it: the uploads checked by the form first."""
    return services.save_photos(item, check_uploads(uploads, PHOTO), **kwargs)


# Near 随州: 31°41'24" N, 113°22'12" E, i.e. 31.69, 113.37 (the project site).
AT_SITE = (("N", (31.0, 41.0, 24.0)), ("E", (113.0, 22.0, 12.0)))


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def duban(org):
    return Person.objects.get(user__username="duban")


def make_item(duban, title="拆除两处违章建筑", project=None) -> SupervisionItem:
    today = timezone.localdate()
    return SupervisionItem.objects.create(
        title=title,
        requirement="限期拆除并清表",
        result_standard="两处违章建筑拆除、场地清表",
        project=project,
        assigner=duban,
        lead_unit=Unit.objects.get(name="城东产业园"),
        assigned_on=today,
        original_deadline=today + dt.timedelta(days=7),
        deadline=today + dt.timedelta(days=7),
    )


def make_feedback(item, person) -> Feedback:
    return Feedback.objects.create(
        item=item, text="已拆除", submitted_by=person, submitted_at=timezone.now()
    )


def make_verification(item, person) -> Verification:
    return Verification.objects.create(
        item=item,
        result=Verification.Result.TRUE,
        notes="现场已清表",
        verified_by=person,
        verified_at=timezone.now(),
        unit=item.lead_unit,
    )


@pytest.fixture
def item(duban):
    return make_item(duban, project=make_project(latitude=SITE[0], longitude=SITE[1]))


# --- reading photos --------------------------------------------------------------------


def test_capture_time_and_gps_are_read_back():
    upload = jpeg(picture(1), taken="2024:05:01 10:20:30", gps=AT_SITE)
    facts = read_photo(upload)
    assert facts.taken_at == dt.datetime(2024, 5, 1, 10, 20, 30, tzinfo=BEIJING)
    assert str(facts.taken_at.tzinfo) == "Asia/Shanghai"
    assert (facts.latitude, facts.longitude) == SITE
    assert len(facts.sha256) == 64 and len(facts.dhash) == 16
    assert upload.tell() == 0  # ready to be saved


def test_south_and_west_are_negative_and_rationals_are_exact():
    gps = (
        ("S", (Fraction(33), Fraction(52), Fraction(789, 100))),
        ("W", (Fraction(151), Fraction(12), Fraction(3, 2))),
    )
    facts = read_photo(jpeg(picture(1), gps=gps))
    assert facts.latitude == Decimal("-33.868858")  # 33 + 52/60 + 7.89/3600
    assert facts.longitude == Decimal("-151.200417")  # 151 + 12/60 + 1.5/3600


def test_photo_without_exif_has_no_time_or_place():
    facts = read_photo(jpeg(picture(1)))
    assert facts.taken_at is None
    assert facts.latitude is None and facts.longitude is None


def test_capture_time_with_recorded_offset_is_converted():
    buffer = io.BytesIO()
    exif = exif_for(taken="2024:05:01 10:20:30")
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+00:00"
    picture(1).save(buffer, "JPEG", exif=exif)
    facts = read_photo(SimpleUploadedFile("utc.jpg", buffer.getvalue()))
    assert timezone.localtime(facts.taken_at).hour == 18  # 10:20 UTC is 18:20 in Beijing


def test_non_image_is_refused_in_chinese():
    upload = SimpleUploadedFile("报告.docx", b"PK\x03\x04 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError, match=re.escape("“报告.docx”不是照片")):
        read_photo(upload)
    fake = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0 truncated", content_type="image/jpeg")
    with pytest.raises(ValidationError, match=re.escape("“现场.jpg”不是可识别的图片文件。")):
        read_photo(fake)


def test_dhash_survives_reencoding_resizing_and_exif_rotation():
    original = read_photo(jpeg(picture(3), quality=95)).dhash
    assert read_photo(jpeg(picture(3), quality=40)).dhash == original
    assert read_photo(jpeg(picture(3).resize((340, 302)), quality=80)).dhash == original
    # Stored sideways with Orientation 6 ("rotate 90° clockwise to display").
    sideways = picture(3).transpose(Image.Transpose.ROTATE_90)
    assert read_photo(jpeg(sideways, orientation=6)).dhash == original
    assert hamming(read_photo(jpeg(picture(4))).dhash, original) > 10
    assert len(set(one_bit_apart(original))) == 65
    assert all(hamming(h, original) <= 1 for h in one_bit_apart(original))


def test_hamming_and_distance():
    assert hamming("0000000000000000", "ffffffffffffffff") == 64
    assert hamming("00000000000000f0", "0000000000000010") == 3
    assert distance_m(*SITE, *SITE) == 0
    # One thousandth of a degree of latitude is about 111 m anywhere.
    assert distance_m(SITE[0], SITE[1], SITE[0] + Decimal("0.001"), SITE[1]) == 111
    assert 1_060_000 < distance_m(39.9042, 116.4074, 31.2304, 121.4737) < 1_075_000  # 北京–上海


# --- saving evidence -------------------------------------------------------------------


def test_photos_are_saved_with_their_facts(item, duban):
    feedback = make_feedback(item, duban)
    [photo] = save_photos(
        item,
        [jpeg(picture(1), "现场.jpg", taken="2024:05:01 10:20:30", gps=AT_SITE)],
        feedback=feedback,
    )
    photo.refresh_from_db()
    assert photo.item == item and photo.feedback == feedback and photo.verification is None
    # Stored under a random name (H9); the original name stays in the record.
    assert photo.file.name.startswith("evidence/") and "现场" not in photo.file.name
    assert photo.original_name == "现场.jpg"
    assert photo.file.size > 0 and Image.open(photo.file).format == "JPEG"
    assert (photo.latitude, photo.longitude, photo.location_source) == (*SITE, "exif")
    assert photo.taken_at == dt.datetime(2024, 5, 1, 10, 20, 30, tzinfo=BEIJING)
    assert photo.duplicate_of is None


def test_one_non_image_stores_nothing(item):
    uploads = [jpeg(picture(1)), SimpleUploadedFile("a.txt", b"hello")]
    with pytest.raises(ValidationError, match=re.escape("“a.txt”不是照片")):
        save_photos(item, uploads)
    assert not EvidencePhoto.objects.exists()


def test_services_take_only_checked_photos(item):
    """A raw upload reaching the service would be decoded inside its transaction: refused."""
    with pytest.raises(TypeError):
        services.save_photos(item, [jpeg(picture(1))])
    assert not EvidencePhoto.objects.exists()


def test_same_bytes_in_another_item_are_flagged(item, duban):
    upload = jpeg(picture(1))
    [first] = save_photos(item, [upload], feedback=make_feedback(item, duban))
    other = make_item(duban, title="道路硬化")
    [reused] = save_photos(other, [copy_of(upload)], feedback=make_feedback(other, duban))
    assert reused.sha256 == first.sha256
    assert reused.duplicate_of == first
    assert "与此前《拆除两处违章建筑》中的照片重复" in evidence_flags(reused)
    assert not any("重复" in flag for flag in evidence_flags(first))


def test_reuse_within_one_item_counts_only_across_reports(item, duban):
    upload = jpeg(picture(1))
    feedback = make_feedback(item, duban)
    first, again = save_photos(item, [upload, copy_of(upload)], feedback=feedback)
    assert again.duplicate_of is None  # the same report, twice: not a reuse
    [later] = save_photos(item, [copy_of(upload)], feedback=make_feedback(item, duban))
    assert later.duplicate_of == first
    assert "与本事项此前上报的照片重复" in evidence_flags(later)
    # A verifier who uploads the unit's own photo is flagged too.
    [verified] = save_photos(item, [copy_of(upload)], verification=make_verification(item, duban))
    assert verified.duplicate_of == first


def test_reencoded_or_resized_copy_is_flagged_by_dhash(item, duban):
    [first] = save_photos(item, [jpeg(picture(5), quality=92)], feedback=make_feedback(item, duban))
    other = make_item(duban, title="道路硬化")
    copies = [jpeg(picture(5), "转发.jpg", quality=50), jpeg(picture(5).resize((330, 293)))]
    for photo in save_photos(other, copies, feedback=make_feedback(other, duban)):
        assert photo.sha256 != first.sha256
        assert photo.duplicate_of == first


def test_a_copy_one_dhash_bit_off_is_flagged_two_bits_is_not(item, duban):
    """Recompression can tip one near-tie in the 9x8 thumbnail; unrelated pictures differ
    in 20+ bits."""
    [first] = save_photos(item, [jpeg(picture(5))], feedback=make_feedback(item, duban))
    value = int(first.dhash, 16)
    EvidencePhoto.objects.filter(pk=first.pk).update(dhash=f"{value ^ 0b1000:016x}")
    [copy] = save_photos(make_item(duban, title="道路硬化"), [jpeg(picture(5), quality=60)])
    assert copy.duplicate_of == first
    copy.delete()
    EvidencePhoto.objects.filter(pk=first.pk).update(dhash=f"{value ^ 0b1001:016x}")
    [other] = save_photos(make_item(duban, title="道路硬化"), [jpeg(picture(5), quality=60)])
    assert other.duplicate_of is None


def test_a_different_picture_is_not_flagged(item, duban):
    save_photos(item, [jpeg(picture(1))], feedback=make_feedback(item, duban))
    other = make_item(duban, title="道路硬化")
    [photo] = save_photos(other, [jpeg(picture(2))], feedback=make_feedback(other, duban))
    assert photo.duplicate_of is None


def test_featureless_pictures_do_not_match_each_other(item, duban):
    """A black frame and a white wall share a dhash of zeros: that says nothing."""
    save_photos(item, [jpeg(Image.new("RGB", (200, 150), "black"))])
    other = make_item(duban, title="道路硬化")
    [photo] = save_photos(other, [jpeg(Image.new("RGB", (200, 150), "white"))])
    assert photo.dhash == "0000000000000000"
    assert photo.duplicate_of is None


def test_browser_location_is_used_when_exif_has_none(item, duban):
    verification = make_verification(item, duban)
    browser = ("31.7", 113.38)
    bare, located = save_photos(
        item,
        [jpeg(picture(1)), jpeg(picture(2), gps=AT_SITE)],
        verification=verification,
        browser_location=browser,
    )
    assert (bare.latitude, bare.longitude) == (Decimal("31.700000"), Decimal("113.380000"))
    assert bare.location_source == "browser"
    assert (located.latitude, located.longitude, located.location_source) == (*SITE, "exif")
    [nowhere] = save_photos(item, [jpeg(picture(3))], browser_location=None)
    assert nowhere.latitude is None and nowhere.location_source == ""
    assert "无位置信息" in evidence_flags(nowhere)
    assert "无拍摄时间" in evidence_flags(nowhere)


def test_old_photo_is_flagged_with_its_age(item, duban):
    taken = timezone.localtime() - dt.timedelta(days=5, hours=2)
    [photo] = save_photos(
        item,
        [jpeg(picture(1), taken=taken.strftime("%Y:%m:%d %H:%M:%S"), gps=AT_SITE)],
        verification=make_verification(item, duban),
    )
    assert evidence_flags(photo) == ["拍摄于核查前5天"]
    fresh = timezone.localtime() - dt.timedelta(hours=3)
    [today] = save_photos(
        item,
        [jpeg(picture(2), taken=fresh.strftime("%Y:%m:%d %H:%M:%S"), gps=AT_SITE)],
        feedback=make_feedback(item, duban),
    )
    assert evidence_flags(today) == []


# --- distance from the project ---------------------------------------------------------


def test_verification_distance_and_far_flag(item, duban):
    config.VERIFY_FAR_METERS = 500
    near = verification_distance(item, SITE[0] + Decimal("0.002"), SITE[1])
    far = verification_distance(item, SITE[0] + Decimal("0.02"), SITE[1])
    assert near == 222 and not is_far(near)
    assert 2_200 < far < 2_250 and is_far(far)
    config.VERIFY_FAR_METERS = 5000
    assert not is_far(far)
    assert not is_far(None)


def test_no_distance_without_both_positions(item, duban):
    assert verification_distance(item, None, None) is None
    assert verification_distance(make_item(duban), *SITE) is None  # no project
    nowhere = make_item(duban, project=make_project(name="无坐标项目"))
    assert verification_distance(nowhere, *SITE) is None
