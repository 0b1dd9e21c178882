"""Walk every URL of the site for every role (DESIGN §6): nothing crashes, a record outside a
user's scope is 404, read-only roles cannot open write pages, anonymous users must log in."""

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import login_as
from tuijin.core.models import Job
from tuijin.intake.models import IntakeDocument
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category, make_item
from tuijin.worklogs.models import WorkLog

PERSONAS = [
    "leader",
    "duban",
    "jingfa",
    "jingfa_staff",
    "zhaoshang",
    "chengdong",
    "ziran",
    "jijian",
    "qiye",
    "admin",
]
# The sample records all belong to 城东产业园; these personas may see them.
SEES_CHENGDONG = {"leader", "duban", "jijian", "chengdong", "admin"}
POST_ONLY = {
    "logout",
    "set_language",
    "projects:import_confirm",
    "projects:file_upload",
    "supervision:item_action",
    "supervision:problem_action",
    "notify:read_all",
    "notify:open",
    "meetings:agenda_save",
    "meetings:minutes_save",
    "meetings:decision_add",
    "meetings:attendance_save",
    "meetings:problem_resolve",
    "intake:confirm",
    "worklogs:log_comment",
    "worklogs:roster_add",
    "worklogs:roster_remove",
    "worklogs:exemption_add",
    "worklogs:exemption_delete",
}
WRITE_PAGES = ("_create", "_edit", "_approvals", "_plans", "import_upload")


def named_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace != "admin":
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


@pytest.fixture
def urls(db):
    call_command("load_demo", verbosity=0)
    chengdong = Unit.objects.get(name="城东产业园")
    # Unit and park 城东产业园; its 包保 leader has no login.
    project = qixing = Project.objects.get(name="齐星公司移动应急智能储运装备")
    records = {
        "project": project,
        "report": project,
        "file": project,
        "directive": project,
        "enterprise": Enterprise.objects.get(name="湖北齐星应急装备有限公司"),
        "unit": chengdong,
        "person": Person.objects.get(user__username="chengdong"),
        "item": make_item(lead="城东产业园"),
        "problem": Problem.objects.create(
            project=qixing,
            unit=chengdong,
            category=category("用工"),
            description="缺技工",
            raised_at=timezone.now(),
        ),
    }
    records["problem_create"] = qixing
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title="城东产业园现场办公会",
        park=chengdong,
        starts_at=timezone.now(),
    )
    meeting.invited_units.set([chengdong])
    records |= {"meeting": meeting, "minutes": meeting, "dispatch": meeting}
    records["document"] = IntakeDocument.objects.create(
        title="城东产业园报道",
        text="文帝学校",
        reference_date=timezone.localdate(),
        unit=chengdong,
        created_by=Person.objects.get(user__username="chengdong"),
    )
    records["log"] = WorkLog.objects.filter(unit=chengdong).first()
    assert records["log"] is not None  # the demo has logs of 城东产业园
    result = []
    for name, pattern in named_patterns():
        if name in POST_ONLY:
            continue
        short = name.split(":")[-1]
        if name in ("job_status", "job_download"):
            # A job is its owner's alone (404 for everyone else, even a zone leader).
            owner = Person.objects.get(user__username="chengdong").user
            job = Job.objects.create(owner=owner, kind="projects.ledger_export", title="导出")
            args, is_record = [job.pk], False
        elif name == "history":
            args, is_record = ["projects.project", project.pk], True
        elif pattern.pattern.regex.groupindex:
            record = records.get(short) or records[short.split("_")[0]]
            args, is_record = [record.pk], True
        else:
            args, is_record = [], False
        result.append((name, reverse(name, args=args), is_record))
    assert len(result) >= 20
    return result


def test_anonymous_users_are_sent_to_login(urls, client):
    for name, url, _ in urls:
        response = client.get(url)
        if name == "login":
            assert response.status_code == 200
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("username", PERSONAS)
def test_every_url_for_every_role(urls, username):
    client = login_as(username)
    for name, url, is_record in urls:
        status = client.get(url).status_code
        assert status < 500, (name, status)
        if is_record and username not in SEES_CHENGDONG:
            assert status == 404, (name, status)
        if username == "jijian" and name.endswith(WRITE_PAGES):
            assert status == 403, (name, status)
        if username in SEES_CHENGDONG and is_record and not name.endswith(WRITE_PAGES):
            assert status == 200, (name, status)
