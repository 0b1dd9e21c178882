"""Selects ask in words: "请选择牵头单位", not Django's bare "---------" (usability review)."""

import re

import pytest
from django.urls import reverse

from tuijin.projects.tests.factories import make_project

DASHES = "---------"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_item_form_asks_for_project_lead_unit_and_responsible(supervisor):
    html = page(supervisor, reverse("supervision:item_create"))
    assert DASHES not in html
    for label in ("请选择项目", "请选择牵头单位", "请选择责任人"):
        assert re.search(f'<option value=""( selected)?>{label}</option>', html)


@pytest.mark.parametrize("name", ["supervision:directive_create", "supervision:problem_create"])
def test_the_category_select_asks_for_a_category(org, supervisor, name):
    project = make_project()
    html = page(supervisor, reverse(name, args=[project.pk]))
    assert DASHES not in html
    assert re.search('<option value=""( selected)?>请选择问题类别</option>', html)
