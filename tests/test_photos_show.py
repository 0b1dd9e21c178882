"""Every page that shows a photo shows it (L11 part 1): each <img> on the page answers through
the access-checked file view (``files/<model>/<pk>/thumbnail/``) with an image, a thumbnail
once the background task has run, and the same address gives an outsider 404; each photo's
link opens the photo itself.

The photos are stored as the pages store them (the services, after ``core.uploads`` checked
them), with the thumbnail task run as a commit runs it.
"""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image

from tuijin.core.demo_photos import site_photo
from tuijin.core.files import THUMBNAIL_SIZE
from tuijin.projects import services as projects
from tuijin.projects.tests.factories import make_project
from tuijin.supervision import services as supervision
from tuijin.supervision.tests.factories import make_item
from tuijin.worklogs import services as worklogs
from tuijin.worklogs.models import WorkLog

IMG = re.compile(r'<a href="(/files/[^"]+)"[^>]*>\s*<img src="([^"]+)"')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def user(username: str):
    return get_user_model().objects.get(username=username)


def photo(seed: int):
    return site_photo(seed, timezone.now() - dt.timedelta(hours=1))


def assert_photos_show(page_url: str, reader, outsider, expected: int) -> None:
    page = reader.get(page_url)
    assert page.status_code == 200
    photos = IMG.findall(page.content.decode())
    assert len(photos) == expected, photos
    for full, thumbnail in photos:
        assert thumbnail == full + "thumbnail/"
        response = reader.get(thumbnail)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.width <= THUMBNAIL_SIZE[0] and image.height <= THUMBNAIL_SIZE[1]
        response = reader.get(full)
        assert response.status_code == 200 and response["Content-Type"].startswith("image/")
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
            assert image.width > THUMBNAIL_SIZE[0]  # the photo itself, not its thumbnail
        assert outsider.get(thumbnail).status_code == 404
        assert outsider.get(full).status_code == 404


@pytest.mark.django_db
def test_project_page_shows_its_photos_and_its_reports_photos(
    org, staff, leader, outsider, django_capture_on_commit_callbacks
):
    project = make_project(name="犇星二期")
    jingfa_staff = user("jingfa_staff")  # the clerk files the report
    with django_capture_on_commit_callbacks(execute=True):
        projects.upload_files(jingfa_staff, project, [photo(1)], "photo")
    with django_capture_on_commit_callbacks(execute=True):
        projects.submit_report(
            jingfa_staff,
            project,
            period_start=timezone.localdate().replace(day=1),
            narrative="主体施工",
            progress=30,
            photos=[photo(2)],
        )
    for reader in (staff, leader):
        assert_photos_show(project.get_absolute_url(), reader, outsider, expected=2)


@pytest.mark.django_db
def test_item_page_shows_the_feedback_photos(
    org, unit_head, supervisor, outsider, django_capture_on_commit_callbacks
):
    item = make_item(lead="经济发展局", state="in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        supervision.report(
            user("jingfa"),
            item.pk,
            None,
            text="两处违建已拆除",
            photos=[photo(3)],
        )
    for reader in (unit_head, supervisor):
        assert_photos_show(item.get_absolute_url(), reader, outsider, expected=1)


@pytest.mark.django_db
def test_work_log_page_shows_its_photos(
    org, staff, unit_head, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log = worklogs.write_log(
            user("jingfa_staff"),
            kind=WorkLog.Kind.DAILY,
            date=timezone.localdate(),
            text="走访犇星,了解用电问题。",
            visits=[],
            photos=[photo(4), photo(5)],
        )
    for reader in (staff, unit_head):
        assert_photos_show(log.get_absolute_url(), reader, outsider, expected=2)
