"""Uploaded files: random names on disk, served only through the owning record's scope."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.core import files
from tuijin.projects.models import ProjectFile
from tuijin.projects.tests.factories import make_project

GPS_TAG = 0x8825


def jpeg(size=(1600, 1200), name="现场照片.jpg", with_gps=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (40, 90, 160))
    exif = Image.Exif()
    if with_gps:  # 31.69 N, 113.38 E: where the photo was taken, evidence for its unit only
        exif.get_ifd(GPS_TAG).update({1: "N", 2: (31, 41, 24), 3: "E", 4: (113, 22, 48)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def project(org):
    return make_project(name="犇星二期", unit="经济发展局")


def upload(client, project, *uploads, kind="photo"):
    url = reverse("projects:file_upload", args=[project.pk])
    return client.post(url, {"files": list(uploads), "kind": kind}, follow=True)


def test_a_photo_is_stored_under_a_random_name_and_keeps_its_own(
    media, project, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(staff, project, jpeg()).status_code == 200
    stored = ProjectFile.objects.get(project=project)
    assert stored.original_name == "现场照片.jpg"
    assert "现场" not in stored.file.name and str(project.pk) not in stored.file.name.split("/")[0]
    assert stored.file.name.startswith("projects/") and stored.file.name.endswith(".jpg")

    response = staff.get(reverse("file", args=["projects.projectfile", stored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).getexif().get_ifd(GPS_TAG)  # the evidence, whole


def test_the_thumbnail_is_made_once_small_and_without_location(
    media, project, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    assert (media / files.thumbnail_name(stored.file.name)).exists()

    response = staff.get(reverse("file_thumbnail", args=["projects.projectfile", stored.pk]))
    assert response.status_code == 200
    thumb = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(thumb.size) <= 480
    assert not thumb.getexif().get_ifd(GPS_TAG)
    assert files.write_thumbnail(stored.file) == files.thumbnail_name(stored.file.name)


def test_another_units_user_gets_404_for_the_file_and_its_thumbnail(
    media, project, staff, outsider, liaison
):
    upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    for name in ("file", "file_thumbnail"):
        url = reverse(name, args=["projects.projectfile", stored.pk])
        assert outsider.get(url).status_code == 404
        assert liaison.get(url).status_code == 404


def test_a_leader_of_the_zone_sees_it(media, project, staff, leader):
    upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    assert leader.get(reverse("file", args=["projects.projectfile", stored.pk])).status_code == 200


def test_only_registered_file_models_are_served(media, staff, org):
    assert staff.get(reverse("file", args=["org.unit", org["经济发展局"].pk])).status_code == 404
    assert staff.get(reverse("file", args=["nothing.here", 1])).status_code == 404


def test_behind_nginx_the_bytes_go_through_x_accel_redirect(media, project, staff, settings):
    settings.FILES_X_ACCEL_PREFIX = "/_protected_media/"
    upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    response = staff.get(reverse("file", args=["projects.projectfile", stored.pk]))
    assert response["X-Accel-Redirect"] == "/_protected_media/" + stored.file.name
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""


def test_a_page_is_refused_as_a_document(media, project, staff):
    page = SimpleUploadedFile("说明.html", b"<script>alert(1)</script>", content_type="text/html")
    response = upload(staff, project, page, kind="document")
    assert "“说明.html”不是可接受的文件" in response.content.decode()
    assert not ProjectFile.objects.exists()


def test_a_page_stored_before_the_upload_checks_is_downloaded_not_rendered(media, project, staff):
    from django.core.files.base import ContentFile

    page = ContentFile(b"<script>alert(1)</script>", name="说明.html")
    stored = ProjectFile.objects.create(
        project=project, kind="document", file=page, original_name="说明.html"
    )
    response = staff.get(reverse("file", args=["projects.projectfile", stored.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_over_the_limit_is_refused_in_chinese_and_nothing_is_saved(
    media, project, staff, settings
):
    settings.UPLOAD_PHOTO_MAX_MB = 1
    big = SimpleUploadedFile("航拍.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 1))
    response = upload(staff, project, jpeg(), big)
    assert "“航拍.jpg”大小为 1.0 MB,超过单个文件 1 MB 的上限。" in response.content.decode()
    assert not ProjectFile.objects.exists()
    assert not any(media.rglob("*.jpg"))


def test_a_photo_that_is_no_image_is_refused(media, project, staff):
    fake = SimpleUploadedFile("照片.jpg", b"not an image at all")
    response = upload(staff, project, fake)
    assert "“照片.jpg”不是照片" in response.content.decode()
    assert not ProjectFile.objects.exists()


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"%PDF-1.7\n", "a.pdf", "application/pdf"),
        (b"PK\x03\x04rest", "纪要.docx", files.OFFICE_TYPES[".docx"]),
        (b"PK\x03\x04rest", "a.zip", "application/zip"),
        (b"\x89PNG\r\n\x1a\n", "a.jpg", "image/png"),  # the bytes win over the name
        (b"<svg xmlns=", "a.png", "application/octet-stream"),
    ],
)
def test_the_type_comes_from_the_bytes(head, name, expected):
    assert files.sniff(head, name) == expected


def test_random_names_keep_only_a_plain_extension():
    assert files.random_name("x", "a.JPG").endswith(".jpg")
    assert "." not in files.random_name("x", "evil.php%00.jpg;").rsplit("/", 1)[-1]
    assert files.random_name("x", "a.jpg") != files.random_name("x", "a.jpg")


def evidence_photo():
    from tuijin.supervision.models import EvidencePhoto
    from tuijin.supervision.tests.factories import make_item

    item = make_item(lead="经济发展局")
    return EvidencePhoto.objects.create(
        item=item, file=jpeg(name="核查.jpg"), original_name="核查.jpg", sha256="0", dhash="0"
    )


def feedback_attachment():
    from django.utils import timezone

    from tuijin.org.models import Person
    from tuijin.supervision.models import Feedback, FeedbackAttachment
    from tuijin.supervision.tests.factories import make_item

    feedback = Feedback.objects.create(
        item=make_item(lead="经济发展局"),
        text="已拆除",
        submitted_by=Person.objects.get(user__username="jingfa"),
        submitted_at=timezone.now(),
    )
    pdf = SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n%%EOF")
    return FeedbackAttachment.objects.create(feedback=feedback, file=pdf, name="批复.pdf")


def log_photo():
    from tuijin.worklogs.models import LogPhoto
    from tuijin.worklogs.tests.factories import make_log

    log = make_log("jingfa_staff")
    return LogPhoto.objects.create(log=log, image=jpeg(name="走访.jpg"), original_name="走访.jpg")


@pytest.mark.parametrize(
    ("make", "content_type", "name"),
    [
        (evidence_photo, "image/jpeg", "核查.jpg"),
        (feedback_attachment, "application/pdf", "批复.pdf"),
        (log_photo, "image/jpeg", "走访.jpg"),
    ],
)
def test_every_kind_of_upload_is_served_within_its_records_scope(
    media, staff, unit_head, outsider, make, content_type, name
):
    record = make()
    url = reverse("file", args=[record._meta.label_lower, record.pk])
    response = unit_head.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert quote(name) in response["Content-Disposition"]
    assert outsider.get(url).status_code == 404


def test_pages_link_photos_through_the_file_view_never_the_media_folder(media, project, staff):
    upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    page = staff.get(project.get_absolute_url()).content.decode()
    assert reverse("file_thumbnail", args=["projects.projectfile", stored.pk]) in page
    assert reverse("file", args=["projects.projectfile", stored.pk]) in page
    assert "/media/" not in page


def test_missing_thumbnails_are_made_by_the_command(media, project, staff, capsys):
    from django.core.management import call_command

    upload(staff, project, jpeg())  # no commit in this test: the task did not run
    stored = ProjectFile.objects.get(project=project)
    assert not (media / files.thumbnail_name(stored.file.name)).exists()
    call_command("make_thumbnails")
    assert (media / files.thumbnail_name(stored.file.name)).exists()
    assert "缩略图已齐全" in capsys.readouterr().out


def test_on_object_storage_the_view_redirects_to_the_storages_own_address(media, project, staff):
    from django.core.files.storage import InMemoryStorage

    upload(staff, project, jpeg())
    stored = ProjectFile.objects.get(project=project)
    field = ProjectFile._meta.get_field("file")
    content = stored.file.storage.open(stored.file.name)  # from the disk, before the swap
    storage, field.storage = field.storage, InMemoryStorage(base_url="https://oss.example/")
    try:  # as django-storages' S3 backend answers: a signed, short-lived URL of its own
        field.storage.save(stored.file.name, content)
        response = staff.get(reverse("file", args=["projects.projectfile", stored.pk]))
    finally:
        field.storage = storage
    assert response.status_code == 302
    assert response["Location"] == "https://oss.example/" + stored.file.name
