"""Work logs after C8: who may change what (editable_by, permissions.py), child records seen
through their log, and query parameters that never answer 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tuijin.core.models import AuditEvent
from tuijin.projects.tests.factories import make_enterprise
from tuijin.worklogs import permissions, services
from tuijin.worklogs.models import Duty, Exemption, LogComment, Visit, WorkLog, weekend_of
from tuijin.worklogs.tests.factories import SAT, make_log, on_roster, person, user, visit_to

pytestmark = pytest.mark.django_db


def history(model: str, pk: int) -> str:
    return reverse("history", args=[model, pk])


def test_authors_change_their_own_logs_and_readers_those_they_comment_on(org):
    mine = make_log("jingfa_staff")
    theirs = make_log("chengdong")
    assert set(WorkLog.objects.editable_by(user("jingfa_staff"))) == {mine}
    assert set(WorkLog.objects.editable_by(user("jingfa"))) == {mine}
    assert set(WorkLog.objects.editable_by(user("leader"))) == {mine, theirs}
    assert not WorkLog.objects.editable_by(user("jijian")).exists()


def test_the_inspector_reads_a_log_but_may_not_comment_and_nothing_is_written(org, inspector):
    log = make_log("jingfa_staff")
    before = AuditEvent.objects.count()
    assert inspector.get(log.get_absolute_url()).status_code == 200
    url = reverse("worklogs:log_comment", args=[log.pk])
    assert inspector.post(url, {"text": "已阅"}).status_code == 403
    assert not LogComment.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize("text", ["", "已阅"])
def test_the_author_may_edit_but_not_comment_on_their_own_log(org, staff, text):
    log = make_log("jingfa_staff")
    before = AuditEvent.objects.count()
    url = reverse("worklogs:log_comment", args=[log.pk])
    assert staff.post(url, {"text": text}).status_code == 403
    assert not LogComment.objects.exists() and AuditEvent.objects.count() == before


def test_the_history_of_visits_and_comments_follows_their_log(org, unit_head, outsider):
    enterprise = make_enterprise("犇星化工", unit="经济发展局")
    log = make_log("jingfa_staff", visits=[visit_to(enterprise)])
    services.comment_on_log(user("jingfa"), log, "已阅")
    for model, pk in [
        ("worklogs.visit", Visit.objects.get().pk),
        ("worklogs.logcomment", LogComment.objects.get().pk),
    ]:
        assert unit_head.get(history(model, pk)).status_code == 200, model
        assert outsider.get(history(model, pk)).status_code == 404, model


def test_roster_keepers_change_the_roster_of_their_units_only(org):
    (duty,) = on_roster("jingfa_staff")
    assert list(Duty.objects.editable_by(user("jingfa"))) == [duty]
    assert not Duty.objects.editable_by(user("jingfa_staff")).exists()
    assert not Duty.objects.editable_by(user("chengdong")).exists()
    assert permissions.can_manage_roster_of(user("jingfa"), person("jingfa_staff"))
    assert not permissions.can_manage_roster_of(user("chengdong"), person("jingfa_staff"))


def test_staff_cannot_revoke_leave_and_nothing_changes(org, staff):
    exemption = services.grant_exemption(
        user("jingfa"), person("jingfa_staff"), reason="leave", start=SAT, end=SAT
    )
    before = AuditEvent.objects.count()
    url = reverse("worklogs:exemption_delete", args=[exemption.pk])
    assert staff.post(url).status_code == 403
    assert Exemption.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize("weekend", ["2026-02-30", "abc", "2026-13-01", "99999-01-01"])
def test_an_unreadable_weekend_shows_the_current_one_with_a_note(unit_head, weekend):
    response = unit_head.get(reverse("worklogs:submissions"), {"weekend": weekend})
    assert response.status_code == 200
    assert "无法识别的日期" in response.content.decode()
    assert response.context["saturday"] == weekend_of(timezone.localdate())


def test_any_day_of_a_weekend_shows_that_weekend(unit_head):
    response = unit_head.get(reverse("worklogs:submissions"), {"weekend": "2026-11-22"})
    assert response.context["saturday"] == SAT
    assert "无法识别的日期" not in response.content.decode()


def test_a_bad_unit_on_the_roster_page_shows_ones_own(unit_head):
    response = unit_head.get(reverse("worklogs:roster"), {"unit": "abc"})
    assert response.status_code == 200 and response.context["unit"].name == "经济发展局"


def test_a_bad_id_posted_to_the_roster_is_404(unit_head):
    for name, field in [("roster_add", "person"), ("roster_remove", "person")]:
        response = unit_head.post(reverse(f"worklogs:{name}"), {field: "abc"})
        assert response.status_code == 404, name
    response = unit_head.post(reverse("worklogs:exemption_add"), {"unit": "1; drop"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params", [{"kind": "x", "stale": "maybe"}, {"page": "abc"}, {"page": "-1"}]
)
def test_bad_visits_parameters_fall_back(leader, params):
    response = leader.get(reverse("worklogs:visits"), params)
    assert response.status_code == 200 and response.context["kind"] == "enterprise"


@pytest.mark.parametrize(
    "params", [{"date_from": "2026-02-30"}, {"unit": "abc"}, {"page": "x"}, {"author": "-"}]
)
def test_bad_list_filters_are_ignored(org, leader, params):
    make_log("jingfa_staff")
    assert leader.get(reverse("worklogs:log_list"), params).status_code == 200
    assert leader.get(reverse("worklogs:log_export"), params).status_code == 200
