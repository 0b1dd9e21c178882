"""The project form asks in words ("请选择所属园区"), not with Django's bare "---------"."""

import re

from django.urls import reverse

from tuijin.projects.tests.factories import make_project


def asks(response, *labels: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label


def test_the_new_project_form_asks_for_park_and_unit(unit_head):
    asks(unit_head.get(reverse("projects:project_create")), "请选择所属园区", "请选择责任单位")


def test_the_edit_form_asks_the_same(org, unit_head):
    project = make_project()
    response = unit_head.get(reverse("projects:project_edit", args=[project.pk]))
    asks(response, "请选择所属园区", "请选择责任单位")
