"""Issue 21 item 7 journey: the zone leader, on a phone, opens a published project, taps 公开照片,
shows a site photo on the public progress page; a visitor without an account sees its thumbnail
there and opens the larger copy (no EXIF); the leader hides it again and its address answers 404."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tuijin.core.demo_photos import site_photo
from tuijin.core.uploads import facts_of
from tuijin.projects.models import ProjectFile
from tuijin.projects.tests.factories import make_project
from tuijin.public import services

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_leader_shows_a_site_photo_on_the_public_page(org, live_server, phone, browser):
    project = make_project("公开照片旅程项目")
    services.publish(get_user_model().objects.get(username="leader"), project)
    checked = site_photo(11, timezone.now() - dt.timedelta(hours=2), "31.690000", "113.380000")
    ProjectFile.objects.create(
        project=project,
        kind=ProjectFile.Kind.PHOTO,
        file=checked,
        original_name=checked.name,
        caption="主体结构施工",
        taken_at=facts_of(checked).taken_at,
    )

    log_in(phone, live_server, "leader")
    phone.goto(f"{live_server.url}{project.get_absolute_url()}")
    phone.click("#public-photos-link")
    expect(phone.locator("h1")).to_contain_text("公开照片")
    phone.get_by_role("button", name="公开", exact=True).click()
    expect(phone.locator(".alert-success").first).to_contain_text("照片已公开")
    expect(phone.get_by_role("button", name="取消公开")).to_be_visible()

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = visitor.new_page()
    page.goto(f"{live_server.url}/public/")
    thumbnail = page.locator(f"#project-{project.pk} .public-photos img")
    expect(thumbnail).to_have_count(1)
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0  # the thumbnail loaded
    href = page.locator(f"#project-{project.pk} .public-photos a").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    with Image.open(io.BytesIO(response.body())) as image:
        assert not image.getexif()

    phone.get_by_role("button", name="取消公开").click()
    expect(phone.get_by_role("button", name="公开", exact=True)).to_be_visible()
    assert page.request.get(f"{live_server.url}{href}").status == 404
    page.goto(f"{live_server.url}/public/")
    expect(page.locator(f"#project-{project.pk} .public-photos img")).to_have_count(0)
    visitor.close()
