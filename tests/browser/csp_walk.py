"""Every page of the URL walk (as the zone leader) and every admin list, add, change and history
page (as the administrator) opened once in Chromium: none may trip the Content-Security-Policy
(the `session` fixture fails the test on a violation, see conftest.watch_csp). Downloads are
skipped. ~2 minutes, so not part of the suite (the file name is not collected); run it by name
after a large template change (docs/security.md):

    .venv/bin/python -m pytest -n 0 -q tests/browser/csp_walk.py
"""

import contextlib

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from tests.test_every_url import CASES, PNG, named_patterns, url_args
from tuijin.intake.models import IntakeDocument
from tuijin.meetings.models import Meeting
from tuijin.notify.models import Notification
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project, ProjectFile
from tuijin.supervision.models import Problem, SupervisionItem
from tuijin.worklogs.models import WorkLog

pytestmark = pytest.mark.browser


def demo_records() -> dict:
    project = Project.objects.first()
    photo = ProjectFile.objects.create(  # opened on its own, as a click on a thumbnail does
        project=project,
        kind=ProjectFile.Kind.PHOTO,
        file=ContentFile(PNG, name="现场.png"),
        original_name="现场.png",
    )
    records = {
        "project": project,
        "enterprise": Enterprise.objects.first(),
        "unit": Unit.objects.first(),
        "person": Person.objects.exclude(user=None).first(),
        "item": SupervisionItem.objects.filter(state="in_progress").first(),
        "problem": Problem.objects.first(),
        "meeting": Meeting.objects.first(),
        "log": WorkLog.objects.first(),
        "document": IntakeDocument.objects.first(),
        "notification": Notification.objects.filter(recipient__username="leader").first(),
        "history": ("projects.project", project.pk),
        "file": ("projects.projectfile", photo.pk),
    }
    return {key: value for key, value in records.items() if value is not None}


def site_pages() -> list[str]:
    records = demo_records()
    urls = []
    for name, _ in named_patterns():
        case = CASES[name]
        if case.post_only or case.probe or name == "logout":
            continue
        if case.record and case.record not in records:
            continue  # e.g. a job: its owner's alone, none in the demo
        urls.append(reverse(name, args=url_args(records[case.record]) if case.record else []))
    return [*urls, "/no/such/page/"]


def admin_pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{prefix}_{view}"))
        first = model._default_manager.first() if getattr(model._meta, "managed", False) else None
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
            urls.append(reverse(f"{prefix}_history", args=[first.pk]))
    user = get_user_model().objects.get(username="leader")
    urls.append(reverse("admin:auth_user_password_change", args=[user.pk]))
    urls.append(reverse("admin:supervision_holidayoverride_import"))
    return urls


def visit(page, base, urls) -> int:
    shown = 0
    for url in urls:
        answer = page.request.get(base + url)  # the page's cookies; a download is not opened
        if answer.headers.get("content-type", "").startswith(("text/html", "image/")):
            page.goto(base + url)
            page.wait_for_load_state("load")
            shown += 1
    return shown


def test_no_page_trips_the_content_security_policy(demo, live_server, session):
    leader = session("leader")
    assert visit(leader, live_server.url, site_pages()) > 40
    staff = session("admin")
    assert visit(staff, live_server.url, admin_pages()) > 20
