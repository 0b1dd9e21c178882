"""Walk every URL of the site for every role (DESIGN §6).

Reads: nothing crashes, a record outside a user's scope is 404, read-only roles cannot open write
pages, anonymous users must log in. Writes: every URL is also POSTed (with a valid CSRF token),
for every role, against a record of another unit (城东产业园) and one of 经济发展局: outside the
user's scope → 404, in scope without the right → 403, and a refusal changes nothing (row counts
of every domain model, the audit chain, the target records). Allowed POSTs with empty data answer
below 500. The history tab of every audited model answers 200 or 404.

Every named URL must be classified in ``CASES`` below; a new URL fails the walk until it is.
The demo is loaded once for this module (``demo_zone``); each test rolls back its own writes.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import login_as
from tuijin.api.tests import walk as api_walk
from tuijin.assessment.tests.walk import walk_records as assessment_walk_records
from tuijin.core.audit import AuditedModel
from tuijin.core.models import AuditEvent, Job
from tuijin.core.tests.test_headers import assert_security_headers
from tuijin.dashboard.tests import walk_places
from tuijin.enterprise_requests.tests.walk import VERBS as REQUEST_VERBS
from tuijin.enterprise_requests.tests.walk import walk_records as requests_walk_records
from tuijin.factors.tests.walk import walk_records as factors_walk_records
from tuijin.intake.models import IntakeDocument
from tuijin.integrity.tests import walk as integrity_walk
from tuijin.investment.tests import walk as investment_walk
from tuijin.meetings.models import Meeting, MeetingKind
from tuijin.notify.models import Notification
from tuijin.org.models import Person, Unit
from tuijin.parkreview.tests.walk import walk_records as parkreview_walk_records
from tuijin.projects.models import Project, ProjectFile
from tuijin.public.tests import walk as public_walk
from tuijin.rural.tests import walk as rural_walk
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category, make_item
from tuijin.worklogs.models import Exemption, WorkLog

# A 1×1 PNG: the sample project's photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
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
WRITE_PAGES = ("_create", "_edit", "_approvals", "_plans", "import_upload")

# Who must be refused a write, by rule (403 when they see the record, 404 when they do not).
READ_ONLY = {"jijian"}
NOT_LEDGER_EDITORS = {"duban", "zhaoshang", "jijian", "qiye"}  # projects.permissions
NOT_ASSIGNERS = {"jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran", "jijian", "qiye"}
NOT_MEETING_MANAGERS = NOT_ASSIGNERS  # meetings: zone leaders, 督查室, admins
NOT_ROSTER_MANAGERS = {"duban", "jingfa_staff", "zhaoshang", "jijian", "qiye"}  # worklogs
NOT_ADMINS = set(PERSONAS) - {"admin"}  # org import: units and people are the admin's
ITEM_VERBS = ["accept", "start", "report", "request_extension", "start_verification", "verify",
              "return", "urge", "decide_extension", "cancel"]  # fmt: skip
PROBLEM_VERBS = ["escalate", "resolve", "report_up"]


@dataclass(frozen=True)
class Case:
    """How the walk treats one named URL.

    record: key of the sample record its URL arguments come from (None: no arguments).
    writes: the URL accepts POST (a form or an action); False: GET only (a POST to it must
        change nothing either).
    refused: personas that must be refused the POST (403, or 404 outside their scope).
    edit_by_owner: besides `refused`, the record's own unit people and zone leaders and admins
        may write; everyone else who sees it is refused (projects' edit rule).
    verbs: the URL takes a verb after the pk; each is walked.
    post_only: GET is not allowed (the read walk skips it).
    form_target: the record written comes from the posted form, so an empty POST may also be
        refused with 404 (no such record in the user's scope).
    probe: public health probe: no login, 503 until the task consumer's first heartbeat.
    public: a public page (tuijin/public): no login, 200 for anyone.
    """

    record: str | None = None
    writes: bool = False
    refused: frozenset = field(default_factory=frozenset)
    edit_by_owner: bool = False
    verbs: tuple = ()
    post_only: bool = False
    form_target: bool = False
    probe: bool = False
    public: bool = False


def reads(record=None):
    return Case(record=record)


def writes(record=None, refused=(), **kwargs):
    return Case(record=record, writes=True, refused=frozenset(refused), **kwargs)


# Every named URL, classified. A new URL: add it here (see docs/development/testing.md).
CASES = {
    "home": reads(),
    # The cockpit (D16): zone leaders, the 督查室, admins and unit heads; others get 403.
    "cockpit:index": reads(),
    "cockpit:screen": reads(),
    "cockpit:data": reads(),
    "healthz": Case(probe=True),
    "history": reads("history"),
    "file": reads("file"),
    "file_thumbnail": reads("file"),
    "job_status": reads("job"),
    "job_download": reads("job"),
    "login": writes(),
    "logout": writes(post_only=True),
    "password_change": writes(),
    "password_change_done": reads(),
    "set_language": writes(post_only=True),
    "org:unit_list": reads(),
    "org:unit_detail": reads("unit"),
    "org:person_detail": reads("person"),
    "org:import_template": reads(),
    "org:import_upload": writes(refused=NOT_ADMINS),
    "org:import_confirm": writes(refused=NOT_ADMINS, post_only=True),
    "projects:project_list": reads(),
    "projects:my_projects": reads(),
    "projects:project_create": writes(refused=NOT_LEDGER_EDITORS),
    "projects:project_detail": reads("project"),
    "projects:project_edit": writes("project", edit_by_owner=True),
    "projects:project_approvals": writes("project", edit_by_owner=True),
    "projects:project_plans": writes("project", edit_by_owner=True),
    "projects:report_create": writes("project", refused={"jijian", "qiye"}),
    "projects:file_upload": writes("project", refused={"jijian", "qiye"}, post_only=True),
    "projects:enterprise_list": reads(),
    "projects:enterprise_export": reads(),
    "projects:enterprise_detail": reads("enterprise"),
    "projects:ledger_export": reads(),
    "projects:import_template": reads(),
    "projects:import_upload": writes(refused=NOT_LEDGER_EDITORS),
    "projects:import_confirm": writes(refused=NOT_LEDGER_EDITORS, post_only=True),
    "supervision:item_board": reads(),
    "supervision:unit_board": reads(),
    "supervision:leader_board": reads(),
    "supervision:unit_board_export": reads(),
    "supervision:leader_board_export": reads(),
    "supervision:item_export": reads(),
    "supervision:item_urge": writes(refused=NOT_ASSIGNERS, post_only=True),
    "supervision:item_create": writes(refused=NOT_ASSIGNERS),
    "supervision:item_detail": reads("item"),
    "supervision:item_action": writes(
        "item", refused={"jijian", "qiye"}, verbs=ITEM_VERBS, post_only=True
    ),
    "supervision:directive_create": writes("project", refused=NOT_ASSIGNERS),
    "supervision:problem_list": reads(),
    "supervision:problem_export": reads(),
    "supervision:problem_create": writes("project", refused=READ_ONLY),
    "supervision:problem_detail": reads("problem"),
    "supervision:problem_action": writes(
        "problem", refused={"jijian", "qiye"}, verbs=PROBLEM_VERBS, post_only=True
    ),
    "notify:list": reads(),
    "notify:open": reads("notification"),  # GET marks read; the recipient's alone (404 for others)
    "notify:read_all": writes(post_only=True),
    "notify:preferences": writes(),
    "meetings:calendar": reads(),
    "meetings:meeting_create": writes(refused=NOT_MEETING_MANAGERS),
    "meetings:meeting_detail": reads("meeting"),
    "meetings:agenda_save": writes("meeting", refused=NOT_MEETING_MANAGERS, post_only=True),
    "meetings:minutes_save": writes("meeting", refused=NOT_MEETING_MANAGERS, post_only=True),
    "meetings:decision_add": writes("meeting", refused=NOT_MEETING_MANAGERS, post_only=True),
    "meetings:attendance_save": writes("meeting", refused=NOT_MEETING_MANAGERS, post_only=True),
    "meetings:problem_resolve": writes(
        "meeting_problem", refused=NOT_MEETING_MANAGERS, post_only=True
    ),
    "meetings:minutes_docx": reads("meeting"),
    "meetings:dispatch_xlsx": reads("meeting"),
    "worklogs:log_list": reads(),
    "worklogs:log_export": reads(),
    "worklogs:log_create": writes(refused={"jijian", "qiye"}),
    "worklogs:log_detail": reads("log"),
    "worklogs:log_comment": writes(
        "log", refused={"duban", "jingfa_staff", "zhaoshang", "jijian", "qiye"}, post_only=True
    ),
    "worklogs:submissions": reads(),
    "worklogs:visits": reads(),
    "worklogs:visits_export": reads(),
    "worklogs:submissions_export": reads(),
    "worklogs:roster": reads(),
    "worklogs:roster_add": writes(refused=NOT_ROSTER_MANAGERS, post_only=True, form_target=True),
    "worklogs:roster_remove": writes(refused=NOT_ROSTER_MANAGERS, post_only=True, form_target=True),
    "worklogs:exemption_add": writes(refused=NOT_ROSTER_MANAGERS, post_only=True, form_target=True),
    "worklogs:exemption_delete": writes("exemption", refused=NOT_ROSTER_MANAGERS, post_only=True),
    "intake:start": writes(refused=READ_ONLY),
    "intake:confirm": writes(refused=READ_ONLY, post_only=True),
    "intake:document_detail": reads("document"),
}
# Monthly assessment: the 督查室 (and admins) run it, zone leaders rate; an appeal is the unit
# head's during 公示 only, and the walk's month is in draft, so everyone is refused it.
NOT_ASSESSORS = set(PERSONAS) - {"duban", "admin"}
CASES |= {
    "assessment:index": reads(),
    "assessment:period_open": writes(refused=NOT_ASSESSORS, post_only=True),
    "assessment:period_detail": reads("assessment_period"),
    "assessment:period_compute": writes("assessment_period", NOT_ASSESSORS, post_only=True),
    "assessment:period_publicity": writes("assessment_period", NOT_ASSESSORS, post_only=True),
    "assessment:period_publish": writes("assessment_period", NOT_ASSESSORS, post_only=True),
    "assessment:adjustment_add": writes("assessment_period", NOT_ASSESSORS, post_only=True),
    "assessment:adjustment_remove": writes("assessment_adjustment", NOT_ASSESSORS, post_only=True),
    "assessment:veto_add": writes("assessment_period", NOT_ASSESSORS, post_only=True),
    "assessment:veto_remove": writes("assessment_veto", NOT_ASSESSORS, post_only=True),
    "assessment:rating": writes("assessment_period", set(PERSONAS) - {"leader"}),
    "assessment:bulletin_docx": reads("assessment_period"),
    "assessment:scores_xlsx": reads("assessment_period"),
    "assessment:score_detail": reads("assessment_score"),
    "assessment:appeal_file": writes("assessment_indicator", PERSONAS, post_only=True),
    "assessment:score_correct": writes("assessment_indicator", NOT_ASSESSORS, post_only=True),
    "assessment:appeal_decide": writes("assessment_appeal", NOT_ASSESSORS, post_only=True),
    "assessment:scheme_list": reads(),
    "assessment:scheme_edit": writes(refused=NOT_ASSESSORS),
    "assessment:instruction_list": reads(),
    "assessment:instruction_add": writes(
        refused=NOT_ASSESSORS - {"leader"}, post_only=True, form_target=True
    ),
}
# Read pages whose arguments are records of 城东产业园 and answer 404 outside its scope.
GET_RECORDS = {"project", "enterprise", "unit", "person", "item", "problem", "meeting", "log",
               "document", "history", "file"}  # fmt: skip
# Quarterly park review: zone leaders, the 督查室 and admins run it; the walk's review is being
# scored by the zone leader and the 督查室 (tuijin/parkreview/tests/walk.py).
NOT_PARK_EVALUATORS = set(PERSONAS) - {"leader", "duban"}
CASES |= {
    "parkreview:review_list": reads(),
    "parkreview:review_create": writes(refused=NOT_ASSIGNERS),
    "parkreview:awards": reads(),
    "parkreview:review_detail": reads("park_review"),
    "parkreview:review_edit": writes("park_review", NOT_ASSIGNERS),
    "parkreview:plan_edit": writes("park_review", NOT_ASSIGNERS),
    "parkreview:review_action": writes(
        "park_review", NOT_ASSIGNERS, verbs=("propose", "confirm", "publish"), post_only=True
    ),
    "parkreview:results": reads("park_review"),
    "parkreview:handbook_docx": reads("park_review"),
    "parkreview:report_docx": reads("park_review_published"),
    "parkreview:entry_detail": reads("park_entry"),
    "parkreview:score_edit": writes("park_entry", NOT_PARK_EVALUATORS),
    "parkreview:pledge_create": writes("park_entry", NOT_ASSIGNERS, post_only=True),
    "parkreview:sheet_detail": reads("park_sheet"),  # the evaluator's and zone-wide roles' only
}
GET_RECORDS |= {"park_review", "park_entry"}
# Enterprise requests (诉求): the liaison raises them; the 督查室, zone leaders and the
# enterprise's 包保 leader assign; the handling unit accepts and answers; the enterprise closes.
# Inspectors see none (R15 item 14), so the sample is not in GET_RECORDS (tuijin/
# enterprise_requests/tests/walk.py: 办理中 at the target unit).
CASES |= {
    "enterprise_requests:request_list": reads(),
    "enterprise_requests:request_export": reads(),
    "enterprise_requests:request_create": writes(refused=set(PERSONAS) - {"qiye"}),
    "enterprise_requests:unit_rates": reads(),
    "enterprise_requests:request_detail": reads("enterprise_request"),
    "enterprise_requests:request_action": writes(
        "enterprise_request",
        READ_ONLY,
        verbs=REQUEST_VERBS,
        post_only=True,
    ),
}
# Rural linkage (tuijin/rural/tests/walk.py): the unit's own people, zone leaders and admins
# write; 督查室 and inspectors read; liaisons see nothing.
CASES |= rural_walk.cases(reads, writes)
GET_RECORDS |= rural_walk.GET_RECORDS
# Factor balance sheet and 亩均 (tuijin/factors): the zone leader, the desk units (招商局,
# 经济发展局, 自然资源) and a park's own people manage a park's factors; 督查室 and inspectors
# read; liaisons see nothing. Park forms post the park (form_target); 亩均 and rules are the
# zone leader's and the desk units' (tuijin/factors/tests/walk.py).
NOT_FACTOR_MANAGERS = {"duban", "jijian", "qiye"}
NOT_MUJUN_MANAGERS = {"duban", "jijian", "qiye", "chengdong"}
CASES |= {
    "factors:sheet": reads(),
    "factors:sheet_xlsx": reads(),
    "factors:rules": writes(refused=NOT_MUJUN_MANAGERS),
    "factors:park": reads("factors_park"),
    "factors:supply_add": writes(refused=NOT_FACTOR_MANAGERS, post_only=True, form_target=True),
    "factors:supply_edit": writes("factors_supply", NOT_FACTOR_MANAGERS),
    "factors:reserve": writes(refused=NOT_FACTOR_MANAGERS, post_only=True, form_target=True),
    "factors:escalate": writes(refused={"jijian", "qiye"}, post_only=True, form_target=True),
    "factors:flag_add": writes(refused=NOT_FACTOR_MANAGERS, post_only=True, form_target=True),
    "factors:allocation_action": writes(
        "factors_allocation", NOT_FACTOR_MANAGERS, verbs=("commit", "release"), post_only=True
    ),
    "factors:flag_free": writes("factors_flag", NOT_FACTOR_MANAGERS, post_only=True),
    "factors:need_edit": writes("project", NOT_FACTOR_MANAGERS),
    "factors:evaluations": writes(refused=NOT_MUJUN_MANAGERS),
    "factors:evaluation": writes("factors_evaluation", NOT_MUJUN_MANAGERS),
    "factors:evaluation_xlsx": reads("factors_evaluation"),
    "factors:import_template": reads("factors_evaluation"),
    "factors:import_upload": writes("factors_evaluation", NOT_MUJUN_MANAGERS),
    "factors:import_confirm": writes("factors_evaluation", NOT_MUJUN_MANAGERS, post_only=True),
}
# API tokens: each user's own (tuijin/api/tests/walk.py). The API itself answers JSON, not the
# login redirect: walked role by role in tuijin/api/tests/test_roles.py (namespace api-v1).
CASES |= api_walk.cases(reads, writes)
# Integrity (廉政): the inspectors' and zone leaders' alone (tuijin/integrity/tests/walk.py and
# test_no_integrity_page_but_to_inspectors_and_zone_leaders below).
CASES |= integrity_walk.cases(reads, writes)
# The public page and OC4IDS download: open without login (tuijin/public/tests/walk.py).
CASES |= public_walk.cases(reads, writes, Case, PERSONAS)
# Investment pipeline (招商项目库) and planning pool (tuijin/investment/tests/walk.py): the
# 招商局 and zone-wide roles see the whole pipeline, other units the leads they handle.
CASES |= investment_walk.cases(reads, writes)
# Park and unit pages, the Monday reports (tuijin/dashboard/tests/walk_places.py).
CASES |= walk_places.cases(reads, writes, PERSONAS)
# Units whose records the POST walk targets, and the unit people who own them.
TARGETS = {
    "chengdong": ("城东产业园", "齐星公司移动应急智能储运装备", {"chengdong"}),
    "jingfa": ("经济发展局", "犇星二期年产3万吨新能源电解液", {"jingfa", "jingfa_staff"}),
}
ZONE_EDITORS = {"leader", "admin"}


def named_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace not in ("admin", "api-v1"):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def build_records(unit_name: str, project_name: str) -> dict:
    """One sample record of each kind, belonging to the unit."""
    unit = Unit.objects.get(name=unit_name)
    project = Project.objects.get(name=project_name)
    head = Person.objects.filter(unit=unit).exclude(user=None).first()
    problem = Problem.objects.create(
        project=project,
        unit=unit,
        category=category("用工"),
        description="缺技工",
        raised_at=timezone.now(),
    )
    meeting = Meeting.objects.create(
        kind=MeetingKind.ONSITE,
        title=f"{unit_name}现场办公会",
        park=project.park,
        starts_at=timezone.now(),
    )
    meeting.invited_units.set([unit])
    today = timezone.localdate()
    records = {
        "project": project,
        "enterprise": project.enterprises.first(),
        "unit": unit,
        "person": head,
        "item": make_item(lead=unit_name),
        "problem": problem,
        "meeting": meeting,
        "meeting_problem": (meeting, problem),
        "document": IntakeDocument.objects.create(
            title=f"{unit_name}报道",
            text="文帝学校",
            reference_date=today,
            unit=unit,
            created_by=head,
        ),
        "log": WorkLog.objects.filter(unit=unit).first(),
        "exemption": Exemption.objects.create(
            person=head, reason=Exemption.Reason.LEAVE, start=today, end=today + dt.timedelta(1)
        ),
        "notification": Notification.objects.create(
            recipient=head.user,
            event=Notification._meta.get_field("event").choices[0][0],
            title="通知",
        ),
        # A job is its owner's alone (404 for everyone else, even a zone leader).
        "job": Job.objects.create(owner=head.user, kind="projects.ledger_export", title="导出"),
        "history": ("projects.project", project.pk),
        "file": ("projects.projectfile", photo_of(project).pk),
    }
    assert records["log"] is not None, unit_name  # the demo has logs of the unit
    records |= parkreview_walk_records(unit, project)
    records |= requests_walk_records(unit, project)
    records |= factors_walk_records(unit, project)
    records |= assessment_walk_records(unit)
    records |= investment_walk.walk_records(unit, project)
    records |= rural_walk.walk_records(unit)
    records |= api_walk.walk_records(unit)
    records |= integrity_walk.walk_records(unit, project)
    records |= public_walk.walk_records(unit, project)
    return records


def photo_of(project) -> ProjectFile:
    return ProjectFile.objects.create(
        project=project,
        kind=ProjectFile.Kind.PHOTO,
        file=ContentFile(PNG, name="现场.png"),
        original_name="现场.png",
    )


def url_args(record) -> list:
    if isinstance(record, tuple):
        return [part.pk if hasattr(part, "pk") else part for part in record]
    return [record.pk]


@pytest.fixture(scope="module")
def walk(demo_zone):
    """The demo, plus sample records of each target unit, shared by the module's tests."""
    return {target: build_records(unit, project) for target, (unit, project, _) in TARGETS.items()}


@pytest.fixture
def urls(walk, db):
    return page_urls(walk["chengdong"])


def page_urls(records: dict) -> list[tuple[str, str, bool]]:
    """(URL name, URL, whether it answers 404 outside 城东产业园's scope) of every page."""
    result = []
    for name, pattern in named_patterns():
        case = classified(name)
        args = url_args(records[case.record]) if case.record else []
        assert bool(args) == bool(pattern.pattern.regex.groupindex), name
        if case.post_only:
            continue
        result.append((name, reverse(name, args=args), case.record in GET_RECORDS))
    assert len(result) >= 20
    return result


def classified(name: str) -> Case:
    assert name in CASES, (
        f"URL {name!r} is not classified: add it to CASES in tests/test_every_url.py "
        "(reads(record) or writes(record, refused=…), see docs/development/testing.md)"
    )
    return CASES[name]


def test_every_named_url_is_classified(walk, db):
    names = {name for name, _ in named_patterns()}
    unknown = sorted(names - CASES.keys())
    assert not unknown, (
        f"URLs the walk does not know: {unknown}. Classify each in CASES in "
        "tests/test_every_url.py (docs/development/testing.md says how)."
    )
    assert not CASES.keys() - names, sorted(CASES.keys() - names)  # stale entries


def test_anonymous_users_are_sent_to_login(urls, client):
    for name, url, _ in urls:
        response = client.get(url)
        if name == "login":
            assert response.status_code == 200
        elif classified(name).probe:
            assert response.status_code in (200, 503), name
        elif classified(name).public:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize("username", PERSONAS)
def test_every_url_for_every_role(urls, username):
    client = login_as(username)
    for name, url, is_record in urls:
        response = client.get(url)
        status = response.status_code
        assert_security_headers(response, name)  # CSP, Referrer- and Permissions-Policy
        assert status < 500 or classified(name).probe, (name, status)
        if is_record and username not in SEES_CHENGDONG:
            assert status == 404, (name, status)
        if username == "jijian" and name.endswith(WRITE_PAGES):
            assert status == 403, (name, status)
        if username in SEES_CHENGDONG and is_record and not name.endswith(WRITE_PAGES):
            assert status == 200, (name, status)


# ---------------------------------------------------------------------------------------------
# Writes


def csrf_failed(request, reason=""):
    """Stands in for Django's CSRF failure view: a 403 from a bad token would pass for a
    refusal, so a token problem answers 419 and fails the walk loudly."""
    return HttpResponse(f"CSRF: {reason}", status=419)


def domain_models():
    return [m for m in apps.get_models() if m.__module__.startswith("tuijin.") and m._meta.managed]


def fingerprint(records: dict) -> dict:
    """Row counts of every domain model, the audit chain's length and head, and the target
    records' fields: what a refused POST must leave exactly as it was."""
    models = domain_models()
    counts = " UNION ALL ".join(
        f"SELECT '{m._meta.label}', COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)}"
        for m in models
    )  # one round trip instead of one query per model: the walk does this ~3,000 times
    with connection.cursor() as cursor:
        cursor.execute(counts)
        state = dict(cursor.fetchall())
    state["audit head"] = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    for key, record in records.items():
        for part in record if isinstance(record, tuple) else [record]:
            if hasattr(part, "pk"):
                state[key, part.pk] = list(type(part)._default_manager.filter(pk=part.pk).values())
    return state


WRITE_SQL = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteWatch:
    """Notes whether a request ran any write statement (sessions aside: every request saves
    its session). A request that ran none changed nothing, so the walk takes the fingerprint
    again only after requests that wrote: as exact, and ~2,500 fewer fingerprints a run."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if WRITE_SQL.match(sql) and "django_session" not in sql:
            self.wrote = True
        return execute(sql, params, many, context)


def visible(user, record) -> bool:
    parts = [p for p in (record if isinstance(record, tuple) else [record]) if hasattr(p, "pk")]
    for part in parts:
        if isinstance(part, Notification):
            return part.recipient_id == user.pk
        if not type(part).objects.visible_to(user).filter(pk=part.pk).exists():
            return False
    return True


def must_refuse(case: Case, username: str, owners: set) -> bool:
    if username in case.refused:
        return True
    if case.edit_by_owner:
        return username not in ZONE_EDITORS | owners
    return False


def poster(username: str | None) -> Client:
    """A client that enforces CSRF like a browser, holding a real token."""
    client = Client(enforce_csrf_checks=True)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    client.get(reverse("login" if username is None else "password_change"))
    return client


SESSION_CHANGING = {"login", "logout", "set_language", "password_change"}


def post(client: Client, url: str):
    token = client.cookies["csrftoken"].value
    return client.post(url, {"csrfmiddlewaretoken": token}, HTTP_X_CSRFTOKEN=token)


def post_walk(username: str, records: dict, owners: set) -> list[str]:
    """POST every URL against the records; the list of what went wrong (empty: all is well)."""
    user = get_user_model().objects.get(username=username)
    failures = []
    client = state = None
    for name, _ in named_patterns():
        case = classified(name)
        record = records[case.record] if case.record else None
        for verb in case.verbs or [None]:
            args = url_args(record) if case.record else []
            url = reverse(name, args=[*args, verb] if verb else args)
            # One client while it stays logged in with the same token and language.
            if client is None:
                client = poster(username)
            refuse = case.writes and must_refuse(case, username, owners)
            seen = not (case.writes and record) or visible(user, record)
            if state is None:
                state = fingerprint(records)
            before, watch = state, WriteWatch()
            with connection.execute_wrapper(watch):
                status = post(client, url).status_code
            if watch.wrote:
                state = fingerprint(records)
            if name in SESSION_CHANGING:
                client = None
            where = f"{name}{'/' + verb if verb else ''} as {username}: {status}"
            if status >= 500 or status == 419:
                failures.append(f"{where} (must answer below 500 with a valid CSRF token)")
            elif case.writes and case.record:
                if not seen and status != 404:
                    failures.append(f"{where} (outside the user's scope: must be 404)")
                elif seen and refuse and status != 403:
                    failures.append(f"{where} (in scope without the right: must be 403)")
            elif refuse and status not in ((403, 404) if case.form_target else (403,)):
                failures.append(f"{where} (without the right: must be 403)")
            if (status >= 400 or refuse or not seen) and state != before:
                changed = [k for k, v in state.items() if before.get(k) != v]
                failures.append(f"{where} (refused, yet changed {changed[:5]})")
    return failures


@pytest.fixture
def no_csrf_loophole(settings):
    settings.CSRF_FAILURE_VIEW = "tests.test_every_url.csrf_failed"


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("username", PERSONAS)
def test_every_post_for_every_role(walk, db, no_csrf_loophole, username, target):
    failures = post_walk(username, walk[target], TARGETS[target][2])
    assert not failures, "\n".join(failures)


def test_anonymous_posts_are_sent_to_login_and_change_nothing(walk, db, no_csrf_loophole):
    records = walk["chengdong"]
    before = fingerprint(records)
    for name, _ in named_patterns():
        case = classified(name)
        args = url_args(records[case.record]) if case.record else []
        url = reverse(name, args=[*args, case.verbs[0]] if case.verbs else args)
        watch = WriteWatch()
        with connection.execute_wrapper(watch):
            response = post(poster(None), url)
        assert response.status_code < 500, (name, response.status_code)
        if name not in ("login", "set_language", "logout"):
            assert response.status_code in (302, 405), (name, response.status_code)
            # A request that ran no write statement changed nothing (see WriteWatch).
            assert not watch.wrote or fingerprint(records) == before, name
        elif watch.wrote:  # a failed login notes the attempt: compare from here on
            before = fingerprint(records)


@pytest.mark.parametrize("username", PERSONAS)
def test_the_history_tab_of_every_audited_model(walk, db, username):
    client = login_as(username)
    audited = [m for m in domain_models() if issubclass(m, AuditedModel)]
    checked = 0
    for model in audited:
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        status = client.get(reverse("history", args=[model._meta.label_lower, row.pk])).status_code
        assert status in (200, 404), (model._meta.label_lower, status)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("username", PERSONAS)
def test_no_integrity_page_but_to_inspectors_and_zone_leaders(walk, db, username):
    wrong = integrity_walk.check_pages(walk["chengdong"], username, CASES, url_args)
    assert not wrong, "\n".join(wrong)
