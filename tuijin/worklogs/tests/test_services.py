"""Writing logs, raising problems from visits, comments, the roster and the weekend reminders."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.core.uploads import PHOTO, check_upload
from tuijin.notify.models import Delivery, Rule
from tuijin.projects.tests.factories import make_enterprise, make_project
from tuijin.projects.tests.test_reports import jpeg
from tuijin.supervision.models import Problem
from tuijin.supervision.tests.factories import category
from tuijin.worklogs import permissions, services
from tuijin.worklogs.models import Exemption, LogComment, Visit, WorkLog
from tuijin.worklogs.tests.factories import (
    SAT,
    SUN,
    local,
    make_log,
    on_roster,
    person,
    user,
    visit_to,
)


@pytest.fixture
def subjects(org):
    project = make_project("犇星二期年产3万吨新能源电解液")
    enterprise = make_enterprise("湖北犇星新能源材料有限公司", is_key=True)
    return project, enterprise


@pytest.mark.django_db
def test_write_log_with_visits_problem_and_photo(subjects):
    project, enterprise = subjects
    log = services.write_log(
        user("jingfa_staff"),
        kind="weekend",
        date=SAT,
        text="周六走访犇星。",
        visits=[
            visit_to(enterprise, found="用电负荷不足"),
            visit_to(
                project,
                problem_category=category("产业配套"),
                problem_text="产业配套不强:本地缺少电解液包装供应商",
            ),
        ],
        photos=[check_upload(jpeg("2026:11:21 10:15:00"), PHOTO)],  # as the form passes it
    )
    assert log.unit.name == "经济发展局" and log.weekend == SAT
    assert [v.subject for v in log.visits.order_by("pk")] == [enterprise, project]
    problem = Problem.objects.get()
    assert problem.project == project and problem.source == Problem.Source.VISIT
    assert problem.unit == project.unit and problem.raised_by == person("jingfa_staff")
    assert Visit.objects.get(project=project).problem == problem
    photo = log.photos.get()
    assert photo.taken_at == local(SAT, 10, 15)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"write_log", "raise_problem"} <= actions
    assert AuditEvent.objects.filter(model="worklogs.worklog", object_id=str(log.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "kind", "field"),
    [
        (SAT - dt.timedelta(days=1), "weekend", "date"),  # a Friday is no weekend
        (dt.date(2099, 1, 3), "weekend", "date"),  # the future
    ],
)
def test_bad_dates_are_refused_in_chinese(org, day, kind, field):
    with pytest.raises(ValidationError) as error:
        services.write_log(user("jingfa_staff"), kind=kind, date=day, text="x", visits=[])
    assert field in error.value.message_dict
    assert not WorkLog.objects.exists()


@pytest.mark.django_db
def test_a_bad_photo_is_a_form_error_and_saves_nothing(subjects, staff):
    project, _ = subjects
    junk = SimpleUploadedFile("site.jpg", b"not an image", content_type="image/jpeg")
    data = {
        "kind": "weekend", "date": SAT.isoformat(), "text": "周六走访犇星,照片附后。",
        "photos": [junk],
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0",
        "visits-MIN_NUM_FORMS": "0", "visits-MAX_NUM_FORMS": "10",
        "visits-0-subject": f"p{project.pk}", "visits-0-purpose": "督促",
        "visits-0-problem_category": category().pk, "visits-0-problem_text": "违建仍在",
    }  # fmt: skip
    response = staff.post(reverse("worklogs:log_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "“site.jpg”不是照片" in html
    assert "周六走访犇星,照片附后。" in html and "违建仍在" in html
    assert not WorkLog.objects.exists() and not Problem.objects.exists()


@pytest.mark.django_db
def test_a_raw_upload_never_reaches_the_service(subjects):
    """Services take photos checked in the form; decoding never happens in the transaction."""
    with pytest.raises(TypeError):
        services.write_log(
            user("jingfa_staff"), kind="weekend", date=SAT, text="x", visits=[], photos=[jpeg()]
        )
    assert not WorkLog.objects.exists()


@pytest.mark.django_db
def test_read_only_roles_cannot_write(org):
    with pytest.raises(PermissionDenied):
        services.write_log(user("jijian"), kind="weekend", date=SAT, text="x", visits=[])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reader", "allowed"),
    [("jingfa", True), ("leader", True), ("chengdong", False), ("duban", False),
     ("jingfa_staff", False)],
)  # fmt: skip
def test_who_may_comment(org, reader, allowed):
    log = make_log("jingfa_staff")
    assert permissions.can_comment_on_log(user(reader), log) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.comment_on_log(user(reader), log, "好")


@pytest.mark.django_db
def test_comment_notifies_the_author(org, django_capture_on_commit_callbacks):
    Rule.ensure_defaults()
    log = make_log("jingfa_staff")
    services.comment_on_log(user("jingfa"), log, "请继续跟踪能耗指标。")
    assert LogComment.objects.get().author == person("jingfa")
    delivery = Delivery.objects.get(event="worklog_commented")
    assert delivery.recipient == user("jingfa_staff")
    assert "张强批阅了您" in delivery.title


@pytest.mark.django_db
def test_roster_is_kept_by_unit_heads_of_that_unit(org):
    staff = person("jingfa_staff")
    with pytest.raises(PermissionDenied):
        services.add_to_roster(user("chengdong"), staff)  # another unit's head
    with pytest.raises(PermissionDenied):
        services.add_to_roster(user("jingfa_staff"), staff)  # not a head
    duty = services.add_to_roster(user("jingfa"), staff, since=SAT)
    assert services.add_to_roster(user("jingfa"), staff) == duty  # once
    exemption = services.grant_exemption(
        user("jingfa"), staff, reason="leave", start=SAT, end=SUN, note="病假"
    )
    assert exemption.granted_by == person("jingfa")
    with pytest.raises(ValidationError):
        services.grant_exemption(user("jingfa"), staff, reason="leave", start=SUN, end=SAT)
    services.revoke_exemption(user("jingfa"), exemption)
    services.remove_from_roster(user("jingfa"), duty)
    assert not Exemption.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"add_to_roster", "grant_exemption", "revoke_exemption", "remove_from_roster"} <= actions


# --- Reminders ----------------------------------------------------------------------------------


@pytest.fixture
def roster(org):
    Rule.ensure_defaults()
    on_roster("jingfa_staff", "zhaoshang", "chengdong")
    Exemption.objects.create(person=person("chengdong"), reason="leave", start=SAT, end=SUN)


def reminded() -> list[str]:
    return sorted(
        Delivery.objects.filter(event="worklog_missing", channel="inapp").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.mark.django_db
def test_reminders_go_to_those_without_a_log_once_a_day(roster):
    make_log("zhaoshang", SAT, submitted=local(SAT, 11))
    with time_machine.travel(local(SAT, 19, 59)):
        assert services.send_weekend_reminders() == 0  # before 20:00
    with time_machine.travel(local(SAT, 20, 0)):
        assert services.send_weekend_reminders() > 0
        assert services.send_weekend_reminders() == 0  # same day: nothing new
    assert reminded() == ["jingfa_staff"]
    with time_machine.travel(local(SUN, 20, 30)):
        services.send_weekend_reminders()
    assert reminded() == ["jingfa_staff", "jingfa_staff"]  # Sunday's reminder too


@pytest.mark.django_db
def test_no_reminders_on_weekdays(roster):
    with time_machine.travel(local(SAT + dt.timedelta(days=3), 21)):
        assert services.send_weekend_reminders() == 0
