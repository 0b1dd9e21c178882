"""The integrity forms ask in words ("请选择谈话类型"), not with Django's bare "---------"."""

import re

import pytest
from django.urls import reverse

PAGES = {
    "integrity:risk_add": ["请选择单位", "请选择环节", "请选择项目"],
    "integrity:talk_add": ["请选择谈话对象单位", "请选择谈话类型", "请选择谈话人"],
    "integrity:talk_plan": ["请选择谈话对象单位", "请选择谈话类型", "请选择项目"],
    "integrity:interference_add": ["请选择涉及项目"],
}


@pytest.mark.parametrize("name", PAGES)
def test_each_form_asks_for_what_to_choose(org, inspector, name):
    response = inspector.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "---------" not in html
    for label in PAGES[name]:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label
