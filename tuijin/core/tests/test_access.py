"""Scoping: a user sees their own unit's subtree; zone-wide roles see the zone."""

import pytest
from django.urls import reverse

from conftest import unit
from tuijin.org.access import visible_units
from tuijin.org.models import Person


def names(response):
    return {u.name for u in response.context["units"]}


def test_staff_lists_only_their_own_unit(staff):
    response = staff.get(reverse("org:unit_list"))
    assert names(response) == {"经济发展局"}
    assert "城东产业园" not in response.content.decode()


def test_staff_cannot_open_another_units_page(staff):
    other = unit("城东产业园")
    response = staff.get(reverse("org:unit_detail", args=[other.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_staff_cannot_open_a_person_of_another_unit(staff):
    stranger = Person.objects.get(user__username="chengdong")
    assert staff.get(reverse("org:person_detail", args=[stranger.pk])).status_code == 404


def test_staff_opens_their_own_unit_and_colleague(staff):
    own = unit("经济发展局")
    assert staff.get(reverse("org:unit_detail", args=[own.pk])).status_code == 200
    colleague = Person.objects.get(user__username="jingfa")
    assert staff.get(reverse("org:person_detail", args=[colleague.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["leader", "supervisor", "inspector"])
def test_zone_wide_roles_see_every_unit_of_the_zone(persona, request, org):
    client = request.getfixturevalue(persona)
    response = client.get(reverse("org:unit_list"))
    assert names(response) == set(org)
    other = unit("城东产业园")
    assert client.get(reverse("org:unit_detail", args=[other.pk])).status_code == 200


def test_town_head_sees_the_villages_under_the_town(org):
    town = unit("淅河镇")
    person = Person.objects.get(user__username="chengdong")
    person.unit = town
    person.save()
    person.user.refresh_from_db()
    assert {u.name for u in visible_units(person.user)} == {"淅河镇", "碑岗村", "挑水村"}


def test_liaison_sees_no_units(liaison):
    assert names(liaison.get(reverse("org:unit_list"))) == set()


def test_zone_leader_of_another_zone_sees_nothing_of_ours(org, django_user_model, client):
    from tuijin.org.models import Role, Unit, UnitKind

    other_zone = Unit.objects.add_root(instance=Unit(name="别的开发区", kind=UnitKind.ZONE))
    user = django_user_model.objects.create_user("other_leader", password="x")
    Person.objects.create(name="外区领导", unit=other_zone, role=Role.ZONE_LEADER, user=user)
    client.force_login(user)
    response = client.get(reverse("org:unit_list"))
    assert names(response) == {"别的开发区"}
    ours = unit("经济发展局")
    assert client.get(reverse("org:unit_detail", args=[ours.pk])).status_code == 404


def test_history_tab_is_scoped_like_the_record(staff, leader):
    other = unit("城东产业园")
    url = reverse("history", args=["org.unit", other.pk])
    assert staff.get(url).status_code == 404
    assert leader.get(url).status_code == 200


def test_history_of_a_non_audited_model_is_404(leader):
    assert leader.get(reverse("history", args=["auth.user", 1])).status_code == 404
    assert leader.get(reverse("history", args=["nonsense", 1])).status_code == 404


def test_anonymous_users_are_sent_to_login(client, org):
    response = client.get(reverse("org:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_list_query_count_is_constant(leader, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        leader.get(reverse("org:unit_list"))


def audited_models():
    from django.apps import apps

    from tuijin.core.audit import AuditedModel

    return [m for m in apps.get_models() if issubclass(m, AuditedModel)]


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m._meta.label_lower)
def test_every_audited_model_answers_read_and_write_scope(model, staff):
    """The history tab and get_for_user rely on both; a missing one was a 500 (C8)."""
    user = Person.objects.get(user__username="jingfa_staff").user
    queryset = model._default_manager.all()
    readable = set(queryset.visible_to(user).values_list("pk", flat=True))
    writable = set(queryset.editable_by(user).values_list("pk", flat=True))
    assert writable <= readable
    url = reverse("history", args=[model._meta.label_lower, 999999])
    assert staff.get(url).status_code == 404


def test_get_for_user_refuses_writes_in_read_scope_with_403_and_outside_with_404(org, inspector):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from tuijin.core.access import get_for_user
    from tuijin.org.models import Unit

    admin = Person.objects.get(user__username="admin").user
    jijian = Person.objects.get(user__username="jijian").user
    staff = Person.objects.get(user__username="jingfa_staff").user
    own, other = unit("经济发展局"), unit("城东产业园")
    assert get_for_user(admin, Unit, write=True, pk=other.pk) == other
    assert get_for_user(jijian, Unit, pk=other.pk) == other
    with pytest.raises(PermissionDenied):
        get_for_user(jijian, Unit, write=True, pk=other.pk)
    with pytest.raises(PermissionDenied):
        get_for_user(staff, Unit, write=True, pk=own.pk)
    with pytest.raises(Http404):
        get_for_user(staff, Unit, write=True, pk=other.pk)
    with pytest.raises(Http404):
        get_for_user(staff, Unit, pk=other.pk)
