"""Organisation pages: units and people are read through visible_to; nothing is written here."""

import pytest
from django.urls import reverse

from tuijin.org.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_a_unit_head_sees_their_unit_and_not_another(unit_head):
    own = Unit.objects.get(name="经济发展局")
    other = Unit.objects.get(name="城东产业园")
    assert unit_head.get(reverse("org:unit_detail", args=[own.pk])).status_code == 200
    assert unit_head.get(reverse("org:unit_detail", args=[other.pk])).status_code == 404
    names = {u.name for u in unit_head.get(reverse("org:unit_list")).context["units"]}
    assert "经济发展局" in names and "城东产业园" not in names


def test_a_person_of_another_unit_is_404(unit_head):
    stranger = Person.objects.get(user__username="chengdong")
    colleague = Person.objects.get(user__username="jingfa_staff")
    assert unit_head.get(reverse("org:person_detail", args=[colleague.pk])).status_code == 200
    assert unit_head.get(reverse("org:person_detail", args=[stranger.pk])).status_code == 404


def test_the_history_of_units_and_people_is_scoped(unit_head, outsider):
    colleague = Person.objects.get(user__username="jingfa_staff")
    url = reverse("history", args=["org.person", colleague.pk])
    assert unit_head.get(url).status_code == 200
    assert outsider.get(url).status_code == 404


def test_org_pages_are_read_only(unit_head):
    unit = Unit.objects.get(name="经济发展局")
    assert unit_head.post(reverse("org:unit_detail", args=[unit.pk])).status_code == 405
    assert unit_head.post(reverse("org:unit_list")).status_code == 405
