"""Every record someone created is visible to someone (V10): one record of every audited model,
made through its service (or the admin site, for what only admins keep there) as each role that
may make it, is seen by its creator and by the zone leader: ``visible_to`` finds it and its page
(its own, its parent's, or its history tab) answers 200 and shows it.

A dispatch meeting with only a video link was saved and then 404 for everyone. ``MAKERS`` says
how each model's records are made; a new audited model fails
``test_every_audited_model_is_made_here`` until it has an entry.
"""

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.api.tests.visible import makers as api_makers
from tuijin.assessment.tests.visible import makers as assessment_makers
from tuijin.core.audit import AuditedModel
from tuijin.core.uploads import DOCUMENT, PHOTO, check_upload
from tuijin.dashboard.tests.visible_places import makers as places_makers
from tuijin.enterprise_requests.tests.visible import makers as requests_makers
from tuijin.factors.tests.visible import makers as factors_makers
from tuijin.intake import services as intake
from tuijin.integrity.tests.visible import makers as integrity_makers
from tuijin.investment.tests.visible import makers as investment_makers
from tuijin.meetings import services as meetings
from tuijin.meetings.models import Attendance, MeetingKind
from tuijin.notify import services as notify
from tuijin.notify.models import Event, Rule
from tuijin.org import services as org
from tuijin.org.models import Person, Role, Unit, UnitKind
from tuijin.parkreview import services as parkreview
from tuijin.parkreview.models import AwardKind
from tuijin.parkreview.tests.factories import make_review
from tuijin.projects import services as projects
from tuijin.projects.models import ApprovalType, Project, ProjectFile
from tuijin.projects.services import RowChange
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.public.tests.visible import makers as public_makers
from tuijin.rural.tests.visible import makers as rural_makers
from tuijin.supervision import services as supervision
from tuijin.supervision.holidays import HolidayRow
from tuijin.supervision.models import ProblemCategory, SupervisionItem, Verification
from tuijin.supervision.tests.factories import category, make_item
from tuijin.worklogs import services as worklogs
from tuijin.worklogs.models import Exemption, WorkLog
from tuijin.worklogs.services import VisitInput

# A 1×1 PNG and a minimal PDF: a photo and a document that pass core.uploads.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Who may make what (the apps' permissions.py, role by role).
LEDGER_EDITORS = ("leader", "jingfa", "jingfa_staff", "chengdong", "ziran", "admin")
ASSIGNERS = ("leader", "duban", "admin")  # 督办 items, meetings
UNIT_SIDE = ("jingfa", "jingfa_staff")  # of an item led by 经济发展局
# Work logs and intake: writers, not inspectors or enterprise liaisons.
WRITERS = ("leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran", "admin")
ROSTER_KEEPERS = ("leader", "jingfa", "chengdong", "ziran", "admin")
EVERYONE = (*WRITERS, "jijian", "qiye")
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Made:
    """How records of one model are made, and where they are seen.

    roles: the personas that may make one (the service refuses the others).
    make: makes one as that persona through its service and returns it.
    page: the URL that shows it (its own page, its parent's, its history tab).
    shows: the text of it that page shows.
    zone_leader: False for what is its owner's alone (the reason is in a comment).
    """

    roles: tuple[str, ...]
    make: Callable[[str], Model]
    page: Callable[[Model], str]
    shows: Callable[[Model], str] = str
    zone_leader: bool = True


def user(name: str):
    return get_user_model().objects.get(username=name)


def person(name: str) -> Person:
    return Person.objects.get(user__username=name)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def text(what: str) -> str:
    """A text no other record holds, to find on the page."""
    return f"{what}{next(_numbers)}号"


def own_unit(name: str) -> Unit:
    """The unit a persona's records belong to: their own unit, else (the zone, an office that
    owns no projects) 经济发展局."""
    mine = person(name).unit
    return (
        mine
        if mine.kind in (UnitKind.PARK, UnitKind.DEPARTMENT, UnitKind.TOWN)
        else unit("经济发展局")
    )


def project_of(name: str) -> Project:
    """A project the persona works on: their unit's (the liaison: their enterprise's; the 包保
    cadre: one they are assigned to)."""
    owner = own_unit(name)
    park = owner if owner.kind == UnitKind.PARK else unit("青春化工园")
    project = make_project(name=text("项目"), unit=owner.name, park=park.name)
    if name == "zhaoshang":
        project.leaders.set([person(name)])
    if name == "qiye":
        project.enterprises.set([make_enterprise(name=text("企业"), liaison=person(name))])
    return project


def photo(name="现场.png"):
    return check_upload(SimpleUploadedFile(name, PNG, content_type="image/png"), PHOTO)


def document(name="说明.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF, content_type="application/pdf"), DOCUMENT)


def detail(name: str) -> Callable[[Model], str]:
    return lambda record: reverse(name, args=[record.pk])


def parent_page(parent: str) -> Callable[[Model], str]:
    return lambda record: getattr(record, parent).get_absolute_url()


def stored_file(record: Model) -> str:
    """What a page shows of a photo: a link to it or to its thumbnail (core.files)."""
    return f"/files/{record._meta.label_lower}/{record.pk}/"


def approvals_page(record: Model) -> str:
    return reverse("projects:project_approvals", args=[record.project_id])


def history(record: Model) -> str:
    return reverse("history", args=[record._meta.label_lower, record.pk])


def admin_add(model, data: dict) -> Model:
    """What an admin adds on the admin site (where these lists are kept), posted there."""
    client = login_as("admin")
    meta = model._meta
    latest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.post(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return model._default_manager.filter(pk__gt=latest).get()


# --- makers, one per model (several for a model made in different ways) -------------------------


def make_enterprise_as(name):
    owner = own_unit(name)
    park = owner if owner.kind == UnitKind.PARK else unit("青春化工园")
    return projects.create_enterprise(user(name), name=text("企业"), unit=owner, park=park)


def make_project_as(name):
    owner = own_unit(name)
    park = owner if owner.kind == UnitKind.PARK else unit("青春化工园")
    code = f"V-{next(_numbers):04d}"
    return projects.create_project(
        user(name), code=code, name=text("项目"), unit=owner, park=park, stage="construction"
    )


def make_plan_as(name):
    year = timezone.localdate().year
    return projects.set_annual_plan(user(name), project_of(name), year, Decimal("1234.5"))


def make_approval_as(name):
    project = project_of(name)
    ApprovalType.ensure_defaults()
    kind = ApprovalType.objects.first()
    row = RowChange(None, {"kind": kind, "note": text("手续备注")})
    projects.update_approvals(user(name), project, approvals=[row])
    return project.approvals.get()


def make_milestone_as(name):
    project = project_of(name)
    row = RowChange(None, {"name": text("节点"), "due_date": dt.date(2026, 12, 31)})
    projects.update_approvals(user(name), project, milestones=[row])
    return project.milestones.get()


def make_report_as(name):
    return projects.submit_report(
        user(name),
        project_of(name),
        period_start=timezone.localdate(),
        narrative=text("本月进展"),
        progress=30,
    )


def make_file_as(name):
    (file,) = projects.upload_files(
        user(name), project_of(name), [document(f"{text('说明')}.pdf")], ProjectFile.Kind.DOCUMENT
    )
    return file


def make_problem_as(name):
    project = project_of(name)
    subject = {"enterprise": project.enterprises.first()} if name == "qiye" else {}
    return supervision.raise_problem(
        user(name),
        category=category(),
        description=text("缺少用工"),
        **(subject or {"project": project}),
    )


def make_item_as(name):
    item, _warning = supervision.assign_item(
        user(name),
        title=text("督办事项"),
        requirement="三天内完成清表",
        result_standard="场地清表完成",
        lead_unit=unit("经济发展局"),
        deadline_mode="calendar",
        deadline_days=3,
    )
    return item


def item_at(state: str) -> SupervisionItem:
    return make_item(
        lead="经济发展局", state=state, deadline=timezone.localdate() + dt.timedelta(9)
    )


def make_feedback_as(name, **uploads):
    item = item_at("in_progress")
    return supervision.report(user(name), item.pk, item.version, text=text("已完成清表"), **uploads)


def make_attachment_as(name):
    feedback = make_feedback_as(name, attachments=[document(f"{text('验收单')}.pdf")])
    return feedback.attachments.get()


def make_evidence_as(name):
    feedback = make_feedback_as(name, photos=[photo()])
    return feedback.photos.get()


def make_extension_as(name):
    item = item_at("in_progress")
    return supervision.request_extension(
        user(name),
        item.pk,
        item.version,
        new_deadline=item.deadline + dt.timedelta(days=7),
        reason=text("雨天停工"),
    )


def make_verification_as(name):
    item = item_at("reported")
    return supervision.verify(
        user(name), item.pk, item.version, result=Verification.Result.TRUE, notes=text("属实")
    )


def make_meeting_as(name, **where):
    return meetings.schedule_meeting(
        user(name),
        kind=where.pop("kind", MeetingKind.ONSITE),
        title=text("专题会"),
        starts_at=timezone.now() + dt.timedelta(days=2),
        **where,
    )


def make_attendance_as(name):
    meeting = make_meeting_as(name, park=unit("青春化工园"), invited_units=[unit("经济发展局")])
    meetings.record_attendance(
        user(name), meeting, {person("jingfa").pk: Attendance.Status.PRESENT}
    )
    return meeting.attendances.get()


def make_decision_as(name):
    meeting = make_meeting_as(name, park=unit("青春化工园"))
    return meetings.record_decision(
        user(name),
        meeting,
        text=text("三天内完成清表"),
        lead_unit=unit("经济发展局"),
        result_standard="场地清表完成",
        deadline_mode="calendar",
        deadline_days=3,
    )


def make_log_as(name, **extra):
    return worklogs.write_log(
        user(name),
        kind=WorkLog.Kind.DAILY,
        date=timezone.localdate(),
        text=text("走访企业"),
        visits=extra.pop("visits", []),
        **extra,
    )


def make_visit_as(name):
    visit = VisitInput(project=project_of(name), purpose=text("了解用工"))
    return make_log_as(name, visits=[visit]).visits.get()


def make_log_photo_as(name):
    return make_log_as(name, photos=[photo()]).photos.get()


def log_to_comment_on(name) -> WorkLog:
    """A log of someone else in the commenter's unit subtree."""
    mine = person(name).unit
    author = Person.objects.filter(unit__in=mine.subtree()).exclude(pk=person(name).pk).first()
    author = author or Person.objects.create(name="王五", unit=mine, role=Role.UNIT_STAFF)
    return WorkLog.objects.create(
        author=author,
        unit=author.unit,
        kind=WorkLog.Kind.DAILY,
        date=timezone.localdate(),
        text="走访",
        submitted_at=timezone.now(),
    )


def make_comment_as(name):
    return worklogs.comment_on_log(user(name), log_to_comment_on(name), text("请继续跟进"))


def rostered(name) -> Person:
    """A cadre in the persona's scope to put on the roster: themselves, or 经济发展局's staff."""
    return person("jingfa_staff") if name in ("leader", "admin", "jingfa") else person(name)


def roster_page(record) -> str:
    return reverse("worklogs:roster") + f"?unit={record.person.unit_id}"


def make_exemption_as(name):
    start = timezone.localdate()
    return worklogs.grant_exemption(
        user(name),
        rostered(name),
        reason=Exemption.Reason.LEAVE,
        start=start,
        end=start + dt.timedelta(days=3),
        note=text("病假"),
    )


def make_intake_as(name):
    proposal = intake.propose(user(name), text("今天走访了企业。"), timezone.localdate())
    return intake.confirm(user(name), proposal.payload(), intake.Selection())


def make_unit_as(name):
    return org.create_unit(
        user(name), name=text("新区办"), kind=UnitKind.DEPARTMENT, parent=unit("随州高新区")
    )


def make_person_as(name):
    return org.create_person(
        user(name), name=text("新人"), unit=unit("经济发展局"), role=Role.UNIT_STAFF
    )


def review_as(name, **kwargs):
    """A park review set up by the persona: every park with a site, the five evaluators."""
    return make_review(organiser=name, year=2040 + next(_numbers), **kwargs)


def make_sheet_as(name):
    review = make_review(evaluators=[name], year=2040 + next(_numbers))
    entry = review.entries.get(park__name="城东产业园")
    points = {c.pk: c.weight for c in review.criteria.all()}
    return parkreview.submit_scores(user(name), entry, points=points, remark=text("评价"))


def make_award_as(name):
    review = review_as(name)
    for entry in review.entries.select_related("park", "review"):
        half = entry.park.name != "城东产业园"  # 城东产业园 first
        points = {c.pk: c.weight / (2 if half else 1) for c in review.criteria.all()}
        parkreview.submit_scores(user("leader"), entry, points=points)
    parkreview.publish_review(user(name), review, review.version)
    return review.awards.get(kind__name="流动红旗")


MAKERS: dict[str, list[Made]] = {
    "org.unit": [Made(("admin",), make_unit_as, detail("org:unit_detail"))],
    "org.person": [Made(("admin",), make_person_as, detail("org:person_detail"), lambda p: p.name)],
    "projects.enterprise": [
        Made(LEDGER_EDITORS, make_enterprise_as, detail("projects:enterprise_detail"))
    ],
    "projects.project": [Made(LEDGER_EDITORS, make_project_as, detail("projects:project_detail"))],
    "projects.annualplan": [
        Made(
            LEDGER_EDITORS,
            make_plan_as,
            lambda plan: reverse("projects:project_plans", args=[plan.project_id]),
            lambda plan: "1234.5",
        )
    ],
    "projects.approval": [Made(LEDGER_EDITORS, make_approval_as, approvals_page, lambda a: a.note)],
    "projects.milestone": [
        Made(LEDGER_EDITORS, make_milestone_as, approvals_page, lambda m: m.name)
    ],
    "projects.progressreport": [
        Made(
            (*LEDGER_EDITORS, "zhaoshang"),
            make_report_as,
            parent_page("project"),
            lambda r: r.narrative,
        )
    ],
    "projects.projectfile": [
        Made(
            (*LEDGER_EDITORS, "zhaoshang"),
            make_file_as,
            parent_page("project"),
            lambda f: f.original_name,
        )
    ],
    # Reference lists: kept by admins on the admin site, read by everyone (offered in forms).
    "projects.approvaltype": [
        Made(
            ("admin",),
            lambda name: admin_add(ApprovalType, {"name": text("规划许可"), "sort_order": 99}),
            lambda kind: reverse("projects:project_approvals", args=[project_of("leader").pk]),
        )
    ],
    "supervision.problemcategory": [
        Made(
            ("admin",),
            lambda name: admin_add(ProblemCategory, {"name": text("配套"), "sort_order": 99}),
            lambda kind: reverse("supervision:problem_create", args=[project_of("leader").pk]),
        )
    ],
    "supervision.holidayoverride": [
        Made(
            ("admin",),
            lambda name: (
                supervision.import_holidays(
                    user(name), [HolidayRow(2, dt.date(2031, 1, 2), True, text("调休"))]
                )
                and supervision.HolidayOverride.objects.get(date=dt.date(2031, 1, 2))
            ),
            history,
        )
    ],
    "supervision.problem": [
        Made(
            (*WRITERS, "qiye"),
            make_problem_as,
            detail("supervision:problem_detail"),
            lambda p: p.description,
        )
    ],
    "supervision.supervisionitem": [
        Made(ASSIGNERS, make_item_as, detail("supervision:item_detail"), lambda i: i.title)
    ],
    "supervision.feedback": [
        Made(UNIT_SIDE, make_feedback_as, parent_page("item"), lambda f: f.text)
    ],
    "supervision.feedbackattachment": [
        Made(
            UNIT_SIDE,
            make_attachment_as,
            lambda a: a.feedback.item.get_absolute_url(),
            lambda a: a.name,
        )
    ],
    "supervision.evidencephoto": [
        Made(UNIT_SIDE, make_evidence_as, parent_page("item"), stored_file)
    ],
    "supervision.extensionrequest": [
        Made(UNIT_SIDE, make_extension_as, parent_page("item"), lambda e: e.reason)
    ],
    "supervision.verification": [
        Made(ASSIGNERS, make_verification_as, parent_page("item"), lambda v: v.notes)
    ],
    # Site configuration: who hears of what (admins only, by design).
    "notify.rule": [
        Made(
            ("admin",),
            lambda name: admin_add(
                Rule,
                {
                    "event": Event.ITEM_VERIFIED,
                    "audience": "inspectors",
                    "channels": '["inapp"]',
                    "is_active": "on",
                },
            ),
            history,
            zone_leader=False,
        )
    ],
    "notify.unitrobot": [
        Made(
            ("admin",),
            lambda name: admin_add(
                apps.get_model("notify", "UnitRobot"),
                {
                    "unit": unit("经济发展局").pk,
                    "kind": "wecom",
                    "rate_per_minute": 20,
                    "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
                    "is_active": "on",
                },
            ),
            history,
        )
    ],
    # A person's own notification settings: theirs alone.
    "notify.preference": [
        Made(
            EVERYONE,
            lambda name: notify.save_preferences(
                user(name), received_events=[Event.ITEM_ASSIGNED], email=False
            ),
            lambda preference: reverse("notify:preferences"),
            lambda preference: "通知设置",
            zone_leader=False,
        )
    ],
    "meetings.meeting": [
        Made(
            ASSIGNERS,
            lambda name: make_meeting_as(name, park=unit("青春化工园")),
            detail("meetings:meeting_detail"),
        ),
        # Only a video link: it was saved and then 404 for everyone.
        Made(
            ASSIGNERS,
            lambda name: make_meeting_as(
                name, kind=MeetingKind.DISPATCH, video_link="https://meeting.example.com/1"
            ),
            detail("meetings:meeting_detail"),
        ),
    ],
    "meetings.attendance": [
        Made(ASSIGNERS, make_attendance_as, parent_page("meeting"), lambda a: a.person.name)
    ],
    "meetings.decision": [
        Made(ASSIGNERS, make_decision_as, parent_page("meeting"), lambda d: d.text)
    ],
    "worklogs.worklog": [
        Made(WRITERS, make_log_as, detail("worklogs:log_detail"), lambda log: log.text)
    ],
    "worklogs.visit": [Made(WRITERS, make_visit_as, parent_page("log"), lambda v: v.purpose)],
    "worklogs.logphoto": [Made(WRITERS, make_log_photo_as, parent_page("log"), stored_file)],
    "worklogs.logcomment": [
        Made(
            ("leader", "jingfa", "chengdong", "ziran", "admin"),
            make_comment_as,
            parent_page("log"),
            lambda c: c.text,
        )
    ],
    "worklogs.duty": [
        Made(
            ROSTER_KEEPERS,
            lambda name: worklogs.add_to_roster(user(name), rostered(name)),
            roster_page,
            lambda duty: duty.person.name,
        )
    ],
    "worklogs.exemption": [Made(ROSTER_KEEPERS, make_exemption_as, roster_page, lambda e: e.note)],
    "intake.intakedocument": [
        Made(WRITERS, make_intake_as, detail("intake:document_detail"), lambda d: d.title)
    ],
    # Quarterly park review: run by zone leaders, the 督查室 and admins; scored by evaluators.
    "parkreview.parkreview": [
        Made(ASSIGNERS, lambda name: review_as(name), detail("parkreview:review_detail"))
    ],
    "parkreview.evaluator": [
        Made(
            ASSIGNERS,
            lambda name: review_as(name).evaluators.get(person__user__username="ziran"),
            parent_page("review"),
            lambda e: e.person.name,
        )
    ],
    "parkreview.criterion": [
        Made(
            ASSIGNERS,
            lambda name: review_as(name).criteria.first(),
            parent_page("review"),
            lambda c: c.name,
        )
    ],
    "parkreview.parkentry": [
        Made(
            ASSIGNERS,
            lambda name: review_as(name).entries.get(park__name="城东产业园"),
            detail("parkreview:entry_detail"),
            lambda e: e.park.name,
        )
    ],
    "parkreview.stop": [
        Made(
            ASSIGNERS,
            lambda name: review_as(name).stops.first(),
            parent_page("review"),
            lambda stop: stop.project.name,
        )
    ],
    "parkreview.scoresheet": [
        Made(WRITERS, make_sheet_as, detail("parkreview:sheet_detail"), lambda s: s.remark)
    ],
    "parkreview.awardkind": [
        Made(
            ("admin",),
            lambda name: admin_add(
                AwardKind,
                {"name": text("进步奖"), "given_to": "first", "is_active": "on", "sort_order": 99},
            ),
            lambda kind: reverse("parkreview:awards"),
        )
    ],
    "parkreview.award": [
        Made(
            ASSIGNERS,
            make_award_as,
            lambda award: reverse("parkreview:results", args=[award.review_id]),
            lambda award: award.kind.name,
        )
    ],
}
MAKERS |= assessment_makers(Made)
MAKERS |= investment_makers(Made)
MAKERS |= requests_makers(Made)
MAKERS |= rural_makers(Made)
MAKERS |= api_makers(Made)
MAKERS |= integrity_makers(Made)
MAKERS |= factors_makers(Made)
MAKERS |= places_makers(Made)
MAKERS |= public_makers(Made)
CASES = [
    pytest.param(label, index, role, id=f"{label}{index or ''}-{role}")
    for label, made in MAKERS.items()
    for index, how in enumerate(made)
    for role in how.roles
]


def test_every_audited_model_is_made_here(db):
    audited = {
        model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, AuditedModel) and model.__module__.startswith("tuijin.")
    }
    missing = sorted(audited - MAKERS.keys())
    assert not missing, (
        f"Audited models this test does not make: {missing}. Add each to MAKERS in "
        "tests/test_every_record_visible.py: the roles that may create one, its service call, "
        "and the page that shows it (docs/development/access.md)."
    )
    assert not MAKERS.keys() - audited, sorted(MAKERS.keys() - audited)  # stale entries


@pytest.mark.parametrize(("label", "index", "role"), CASES)
def test_its_creator_and_the_zone_leader_see_what_was_made(org, label, index, role):
    how = MAKERS[label][index]
    record = how.make(role)
    assert record._meta.label_lower == label
    model = type(record)
    viewers = {role, "leader"} if how.zone_leader else {role}
    for viewer in sorted(viewers):
        seen = model._default_manager.visible_to(user(viewer)).filter(pk=record.pk).exists()
        assert seen, f"{label} made by {role}: {viewer} does not see it (visible_to)"
        response = login_as(viewer).get(how.page(record))
        assert response.status_code == 200, (viewer, how.page(record), response.status_code)
        assert how.shows(record) in response.content.decode(), (viewer, how.page(record))
