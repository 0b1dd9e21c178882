"""The request forms ask in words ("请选择承办单位"), not with Django's bare "---------"."""

import re

from tuijin.enterprise_requests.forms import AssignForm, RaiseForm
from tuijin.enterprise_requests.tests.factories import make_enterprise, person


def asks(html: str, *labels: str) -> None:
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{label}</option>', html), label


def test_a_liaison_of_several_enterprises_is_asked_for_the_enterprise(org):
    make_enterprise()
    make_enterprise()  # two: the enterprise is a select, not a hidden field
    asks(str(RaiseForm(user=person("qiye").user)), "请选择企业")


def test_the_assign_form_asks_for_the_unit(org):
    asks(str(AssignForm(user=person("duban").user)), "请选择承办单位")
