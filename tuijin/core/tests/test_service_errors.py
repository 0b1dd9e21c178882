"""``show_service_errors``: a service's ValidationError put on the form the page shows again."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from tuijin.core.forms import show_service_errors
from tuijin.core.models import Job

pytestmark = pytest.mark.django_db  # the model form checks its constraints


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["title", "progress"]


def _form():
    form = JobForm({"title": "导出", "progress": "5"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field():
    form = _form()
    show_service_errors(form, ValidationError({"progress": "进度不能倒退。"}))
    assert form.errors == {"progress": ["进度不能倒退。"]}


def test_a_field_the_form_lacks_is_named_by_its_label_in_the_form_errors():
    form = _form()  # plain add_error(None, error) raises ValueError for "kind"
    with translation.override("zh-hans"):
        show_service_errors(form, ValidationError({"kind": "该类型已停用。", "title": "重名。"}))
        assert form.non_field_errors() == ["“类型”:该类型已停用。"]
        assert form.errors["title"] == ["重名。"]


def test_without_a_model_the_message_stands_alone():
    form = forms.Form({})
    form.is_valid()
    show_service_errors(form, ValidationError({"kind": "该类型已停用。"}))
    assert form.non_field_errors() == ["该类型已停用。"]


@pytest.mark.parametrize("field", [None, "progress"])
def test_a_message_naming_no_field_goes_where_the_view_says(field):
    form = _form()
    show_service_errors(form, ValidationError(["一", "二"]), field=field)
    assert form.errors == {field or "__all__": ["一", "二"]}
    form = _form()
    show_service_errors(form, ValidationError({"__all__": "三"}), field=field)
    assert form.errors == {field or "__all__": ["三"]}
