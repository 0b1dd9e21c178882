"""Photos on the public progress page (issue 21 item 7): the zone's publishers mark a project's
photos public (audited); the public sees copies with no EXIF (no place above all), bounded in
size, upright, only while the photo stays marked and its project published; never the
original."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from conftest import login_as
from tuijin.core.demo_photos import site_photo
from tuijin.core.models import AuditEvent
from tuijin.core.photos import exif_position
from tuijin.core.uploads import PHOTO, CheckedFile, check_upload, facts_of
from tuijin.projects import services as projects
from tuijin.projects.models import ProjectFile
from tuijin.projects.tests.factories import make_project
from tuijin.public import services
from tuijin.public.models import PublicPhoto
from tuijin.public.photos import LARGE_SIZE, THUMB_SIZE

LATITUDE, LONGITUDE = "31.690000", "113.380000"  # a site in the zone


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def user(name):
    return get_user_model().objects.get(username=name)


def big_photo_with_place() -> SimpleUploadedFile:
    """A 2400×1800 phone photo held sideways (Orientation 6: shown rotated a quarter turn),
    with its capture time, its place and the phone in EXIF."""
    image = Image.new("RGB", (2400, 1800), (120, 160, 220))
    image.paste((200, 40, 40), (0, 0, 600, 300))  # a red block at the stored top left
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Huawei"
    exif[ExifTags.Base.Model] = "Mate 60"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:20 10:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (31.0, 41.0, 24.0), 3: "E", 4: (113.0, 22.0, 48.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def project(org):
    return make_project("公开照片示范项目")


def store(project, upload, caption="主体封顶") -> ProjectFile:
    """A photo stored as the project page's upload stores it (checked, EXIF place kept)."""
    checked = upload if isinstance(upload, CheckedFile) else check_upload(upload, PHOTO)
    return ProjectFile.objects.create(
        project=project,
        kind=ProjectFile.Kind.PHOTO,
        file=checked,
        original_name=checked.original_name,
        caption=caption,
        taken_at=facts_of(checked).taken_at,
    )


@pytest.fixture
def photo(project):
    return store(project, big_photo_with_place())


def read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_public_copy_has_no_exif_at_all_and_is_bounded_and_upright(project, photo):
    with photo.file.open("rb") as original, Image.open(original) as image:
        assert exif_position(image.getexif()) != (None, None)  # the original keeps its place
    row = services.mark_photo_public(user("leader"), photo)
    assert row.public and row.image and row.thumbnail
    for fieldfile, bound in ((row.image, LARGE_SIZE), (row.thumbnail, THUMB_SIZE)):
        with fieldfile.open("rb") as handle:
            data = handle.read()
        assert b"Exif" not in data and b"GPS" not in data and b"Huawei" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert not image.getexif()  # no EXIF at all ...
            assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # ... so no place
            assert "exif" not in image.info and "xmp" not in image.info
            assert max(image.size) <= bound[0]
            assert image.height > image.width  # the quarter turn applied: portrait
            top_right = image.convert("RGB").getpixel((image.width - 5, 5))
            assert top_right[0] > 150 and top_right[2] < 120  # the red block, turned
    assert (row.width, row.height) == (1200, 1600)


def test_anyone_sees_the_copy_only_while_marked_and_published(project, photo):
    anonymous = Client()
    row = services.mark_photo_public(user("leader"), photo)
    urls = [
        reverse("public:photo", args=[row.pk]),
        reverse("public:photo_thumbnail", args=[row.pk]),
    ]
    for url in urls:  # marked, but the project is not published
        assert anonymous.get(url).status_code == 404
    services.publish(user("leader"), project)
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(read(response))) as image:
            assert not image.getexif()
    page = anonymous.get(reverse("public:index")).content.decode()
    assert f'href="{urls[0]}"' in page and f'src="{urls[1]}"' in page
    # The original stays behind the login, whatever is published.
    original = anonymous.get(reverse("file", args=["projects.projectfile", photo.pk]))
    assert original.status_code == 302
    services.unpublish(user("leader"), project)
    for url in urls:
        assert anonymous.get(url).status_code == 404
    services.publish(user("admin"), project)
    assert anonymous.get(urls[0]).status_code == 200
    services.unmark_photo_public(user("admin"), photo)
    for url in urls:
        assert anonymous.get(url).status_code == 404
    assert urls[1] not in anonymous.get(reverse("public:index")).content.decode()


def test_unmarking_deletes_the_copies_and_marking_again_makes_new_ones(
    project, photo, django_capture_on_commit_callbacks
):
    first = services.mark_photo_public(user("leader"), photo)
    names = [first.image.name, first.thumbnail.name]
    storage = first.image.storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.unmark_photo_public(user("leader"), photo)
    first.refresh_from_db()
    assert not first.public and not first.image and not first.thumbnail
    assert not any(storage.exists(name) for name in names)
    again = services.mark_photo_public(user("leader"), photo)
    assert again.pk == first.pk and again.public and again.image.name not in names


def test_deleting_the_photo_deletes_its_public_copies(
    project, photo, django_capture_on_commit_callbacks
):
    row = services.mark_photo_public(user("leader"), photo)
    names, storage = [row.image.name, row.thumbnail.name], row.image.storage
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not PublicPhoto.objects.exists()
    assert not any(storage.exists(name) for name in names)


def test_every_change_is_audited(project, photo):
    services.mark_photo_public(user("leader"), photo)
    services.mark_photo_public(user("leader"), photo)  # already public: nothing happens
    services.unmark_photo_public(user("admin"), photo)
    services.unmark_photo_public(user("admin"), photo)  # already hidden: nothing happens
    events = list(
        AuditEvent.objects.filter(model="public.publicphoto")
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert events == [("photo_public", "leader"), ("photo_private", "admin")]
    row = PublicPhoto.objects.get()
    hidden = AuditEvent.objects.get(action="photo_private").changes
    assert hidden["public"] == [True, False] and hidden["image"][1] in (None, "")
    assert row.by.user.username == "admin"


@pytest.mark.parametrize("name", ["jingfa_staff", "jingfa", "duban", "jijian", "chengdong", "qiye"])
def test_who_cannot_publish_cannot_mark_and_nothing_changes(project, photo, name):
    events = AuditEvent.objects.exclude(model="auth.user")  # a login notes itself
    before = events.count()
    with pytest.raises(PermissionDenied):
        services.mark_photo_public(user(name), photo)
    url = reverse("public:photos_edit", args=[project.pk])
    client = login_as(name)
    response = client.post(url, {"photo": photo.pk, "public": "1"})
    sees = project in project._meta.model.objects.visible_to(user(name))
    assert response.status_code == (403 if sees else 404)
    assert client.get(url).status_code == (403 if sees else 404)
    assert not PublicPhoto.objects.exists()
    assert events.count() == before
    # Nor can they take a photo the zone showed off the page.
    services.mark_photo_public(user("leader"), photo)
    assert client.post(url, {"photo": photo.pk, "public": "0"}).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.unmark_photo_public(user(name), photo)
    assert PublicPhoto.objects.get().public


def test_a_document_cannot_be_made_public(project):
    pdf = SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = ProjectFile.objects.create(
        project=project, kind=ProjectFile.Kind.DOCUMENT, file=pdf, original_name="批复.pdf"
    )
    with pytest.raises(PermissionDenied):
        services.mark_photo_public(user("leader"), document)
    response = login_as("leader").post(
        reverse("public:photos_edit", args=[project.pk]), {"photo": document.pk, "public": "1"}
    )
    assert response.status_code == 302  # refused by the form: not one of the project's photos
    assert not PublicPhoto.objects.exists()


def test_the_publisher_marks_and_unmarks_on_the_projects_photo_page(
    project, photo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        projects.submit_report(
            user("jingfa_staff"),
            project,
            period_start=timezone.localdate().replace(day=1),
            narrative="主体施工",
            progress=30,
            photos=[site_photo(7, timezone.now() - dt.timedelta(hours=1), LATITUDE, LONGITUDE)],
        )
    leader = login_as("leader")
    url = reverse("public:photos_edit", args=[project.pk])
    page = leader.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('name="public" value="1"') == 2  # its own and the report's
    assert url in leader.get(project.get_absolute_url()).content.decode()  # the project page links
    response = leader.post(url, {"photo": photo.pk, "public": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#photo-{photo.pk}")
    assert PublicPhoto.objects.get(photo=photo).public
    manage = leader.get(reverse("public:manage")).content.decode()
    assert (
        f'{url}">照片 <span class="badge text-bg-success" title="已公开的照片">1</span>' in manage
    )
    assert leader.post(url, {"photo": photo.pk, "public": "0"}).status_code == 302
    assert not PublicPhoto.objects.get(photo=photo).public
    assert leader.post(url, {}).status_code == 302  # nothing chosen: a message, no change
    assert PublicPhoto.objects.filter(public=True).count() == 0
    # Only the publishers get the link on the project page.
    assert url not in login_as("jingfa_staff").get(project.get_absolute_url()).content.decode()


def test_the_public_page_reads_its_photos_in_one_query(project, django_assert_num_queries):
    services.publish(user("leader"), project)
    anonymous = Client()
    anonymous.get(reverse("public:index"))  # warm: the session, the zone's name
    with CaptureQueriesContext(connection) as before:
        anonymous.get(reverse("public:index"))
    for seed in range(3):
        photo = store(project, site_photo(seed, timezone.now(), LATITUDE, LONGITUDE))
        services.mark_photo_public(user("leader"), photo)
    with django_assert_num_queries(len(before.captured_queries)):
        page = anonymous.get(reverse("public:index")).content.decode()
    assert page.count('src="/public/photos/') == 3


def test_the_photos_page_reads_its_photos_in_one_query(project, photo, django_assert_num_queries):
    leader = login_as("leader")
    url = reverse("public:photos_edit", args=[project.pk])
    services.mark_photo_public(user("leader"), photo)
    leader.get(url)
    with CaptureQueriesContext(connection) as before:
        leader.get(url)
    for seed in range(3):
        more = store(project, site_photo(seed, timezone.now(), LATITUDE, LONGITUDE))
        services.mark_photo_public(user("admin"), more)
    with django_assert_num_queries(len(before.captured_queries)):
        page = leader.get(url).content.decode()
    assert page.count('name="public" value="0"') == 4
