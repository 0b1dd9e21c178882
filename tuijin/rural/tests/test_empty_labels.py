"""The rural forms ask in words ("请选择股东类型"), not with Django's bare "---------"."""

import re

import pytest
from django.contrib.auth import get_user_model

from tuijin.rural.forms import (
    AgreementForm,
    CompanyForm,
    IncomeForm,
    ParkForm,
    ShareForm,
    ShareholderForm,
    TenantForm,
)

FORMS = [
    (CompanyForm, ["请选择所属村(社区)", "请选择公司类型", "请选择服务园区"]),
    (ShareholderForm, ["请选择股东类型"]),
    (ParkForm, ["请选择所属村(镇)", "请选择运营公司"]),
    (TenantForm, ["请选择台账企业", "请选择状态"]),
    (ShareForm, ["请选择分成村"]),
    (AgreementForm, ["请选择村级公司/合作社", "请选择企业", "请选择协议类型"]),
    (IncomeForm, ["请选择村(社区)"]),
]


@pytest.mark.parametrize(("form_class", "labels"), FORMS, ids=[f.__name__ for f, _ in FORMS])
def test_each_form_asks_for_what_to_choose(org, form_class, labels):
    html = str(form_class(user=get_user_model().objects.get(username="leader")))
    assert "---------" not in html
    for label in labels:
        assert re.search(f'<option value=""( selected)?>{re.escape(label)}</option>', html), label
