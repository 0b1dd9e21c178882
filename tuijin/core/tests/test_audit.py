"""Audit trail: every change writes an event, sealed into a keyed chain; tampering is detected.

Tests run with ``AUDIT_SEAL_ON_COMMIT`` off (and inside a transaction that never commits): a
test that needs the chain sealed calls ``seal_audit_chain()``.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from conftest import unit
from tuijin.core.audit import audit_context, seal_audit_chain, verify_chain
from tuijin.core.models import AuditEvent
from tuijin.org.models import Person, Role


def test_editing_a_record_writes_a_chained_event(org):
    person = Person.objects.get(user__username="jingfa_staff")
    before = AuditEvent.objects.order_by("-id").first()
    person.title = "副科长"
    person.save()
    seal_audit_chain()
    before.refresh_from_db()
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "update"
    assert event.model == "org.person"
    assert event.object_id == str(person.pk)
    assert event.changes == {"title": ["科员", "副科长"]}
    assert (event.seq, event.prev_hash) == (before.seq + 1, before.hash)
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_saving_without_changes_writes_nothing(org):
    person = Person.objects.get(user__username="jingfa_staff")
    count = AuditEvent.objects.count()
    person.save()
    assert AuditEvent.objects.count() == count


def test_create_and_delete_are_recorded(org):
    person = Person.objects.create(name="临时人员", unit=unit("招商局"), role=Role.UNIT_STAFF)
    created = AuditEvent.objects.order_by("-id").first()
    assert created.action == "create"
    assert created.changes["name"] == [None, "临时人员"]
    pk = person.pk
    person.delete()
    deleted = AuditEvent.objects.order_by("-id").first()
    assert (deleted.action, deleted.object_id) == ("delete", str(pk))


def test_actor_and_business_verb_come_from_the_context(org, django_user_model):
    user = django_user_model.objects.get(username="duban")
    person = Person.objects.get(user__username="jingfa_staff")
    with audit_context(actor=user, action="transfer"):
        person.unit = unit("招商局")
        person.save()
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.actor, event.actor_repr, event.action) == (user, "李敏", "transfer")
    assert event.changes == {"unit_id": [unit("经济发展局").pk, unit("招商局").pk]}


def test_the_request_user_is_the_actor(admin_client_):
    person = Person.objects.get(user__username="jingfa_staff")
    url = reverse("admin:org_person_change", args=[person.pk])
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "title": "科长",
        "role": person.role,
        "phone": "",
        "user": person.user_id,
        "is_active": "on",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()
    event = AuditEvent.objects.filter(model="org.person").order_by("-id").first()
    assert event.actor.username == "admin"
    assert event.changes == {"title": ["科员", "科长"]}


def test_altering_an_event_row_breaks_the_chain_and_names_it(org):
    seal_audit_chain()
    victim = AuditEvent.objects.order_by("id")[5]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_repr = %s WHERE id = %s",
            ["篡改", victim.pk],
        )
    checked, broken = verify_chain()
    assert broken.pk == victim.pk
    assert checked == 5
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("verify_audit")


def test_deleting_an_event_row_breaks_the_chain_at_the_next_one(org):
    seal_audit_chain()
    events = list(AuditEvent.objects.order_by("id")[:4])
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    _, broken = verify_chain()
    assert broken.pk == events[3].pk


def test_verify_audit_reports_an_intact_chain(org, capsys):
    call_command("verify_audit")
    assert "审计链完好" in capsys.readouterr().out


def test_history_tab_shows_field_changes(leader):
    person = Person.objects.get(user__username="jingfa_staff")
    person.phone = "13800000000"
    person.save()
    response = leader.get(reverse("org:person_detail", args=[person.pk]))
    html = response.content.decode()
    assert "电话" in html and "13800000000" in html


def test_history_shows_choice_labels_not_codes(leader):
    person = Person.objects.get(user__username="jingfa_staff")
    person.role = Role.CADRE
    person.save()
    html = leader.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "<del>单位工作人员</del> → 包保干部" in html


def test_history_names_related_records_and_actions_in_words(leader):
    from tuijin.core.audit import audit_context
    from tuijin.org.models import Unit

    person = Person.objects.get(user__username="jingfa_staff")
    with audit_context(action="transfer"):
        person.unit = Unit.objects.get(name="招商局")
        person.save()
    html = leader.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "<del>经济发展局</del> → 招商局" in html
    assert "调整单位" in html and ">transfer<" not in html


def test_history_reads_times_flags_and_parents_as_people_do():
    """Child records' history (reachable since C8) showed "project:", "True" and UTC ISO times."""
    from tuijin.core.templatetags.tuijin import field_label, readable
    from tuijin.projects.models import Enterprise, ProgressReport

    project_field = ProgressReport._meta.get_field("project")
    assert field_label(project_field) == "项目"
    submitted = ProgressReport._meta.get_field("submitted_at")
    assert readable(submitted, [None, "2026-12-01T13:29:59.216691+00:00"]) == [
        None,
        "2026年12月1日 21:29",
    ]
    assert readable(Enterprise._meta.get_field("is_key"), [False, True]) == ["否", "是"]


def test_events_written_in_bulk_are_chained_under_the_business_verb(org):
    from tuijin.core.audit import record_events

    before = AuditEvent.objects.count()
    with audit_context(action="import_projects"):
        zone = next(iter(org.values()))
        record_events([(zone, "update", {"name": ["a", "b"]}), (zone, "update", {})])
    seal_audit_chain()
    events = list(AuditEvent.objects.order_by("-id")[:2])
    assert AuditEvent.objects.count() == before + 2
    assert {e.action for e in events} == {"import_projects"}
    assert events[0].prev_hash == events[1].hash
    assert verify_chain()[1] is None


def test_a_list_changed_in_place_after_loading_is_audited(org):
    # Rows keep what was loaded and build the snapshot only when saved (B12); a JSON list is
    # copied on loading, so changing it in place still shows as a change.
    from tuijin.notify.models import Preference

    user = Person.objects.get(user__username="jingfa_staff").user
    Preference.objects.create(user=user, muted_events=["item_assigned"])
    preference = Preference.objects.get(user=user)
    assert "_audit_saved" not in preference.__dict__  # only read: no snapshot built
    preference.muted_events.append("item_urged")
    preference.save()
    event = AuditEvent.objects.order_by("-id").first()
    assert event.changes == {"muted_events": [["item_assigned"], ["item_assigned", "item_urged"]]}


def test_choice_labels_follow_the_readers_language(org):
    from django.utils import translation

    person = Person.objects.get(user__username="jingfa_staff")
    with translation.override("zh-hans"):
        chinese = person.get_role_display()
    with translation.override("en"):
        english = person.get_role_display()
    assert chinese != english
    assert chinese == str(Role(person.role).label)
    person.role = "no-such-role"
    assert person.get_role_display() == "no-such-role"  # as Django shows an unknown value


def test_history_shows_a_stored_structure_as_words_not_raw_keys():
    """A month's 所用方案 read "{} → {'department': {'weight_duban': '25.00', …" on its history."""
    from tuijin.assessment.models import Period
    from tuijin.core.templatetags.tuijin import readable
    from tuijin.projects.models import Project

    schemes = Period._meta.get_field("schemes")
    assert readable(schemes, [{}, {"department": {"weight_duban": "25.00"}}]) == [
        "(无)",
        "(明细略)",
    ]
    reasons = Project._meta.get_field("light_reasons")
    assert readable(reasons, [["计划开工已延迟"], []]) == [["计划开工已延迟"], "(无)"]
