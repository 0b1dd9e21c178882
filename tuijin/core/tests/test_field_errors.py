"""A field's error line names the field: "数量:…" in Chinese, no space after the colon, and
"Quantity: …" in English. The line is one message of the catalog (the ``field_error`` tag),
so each language has its own colon and spacing; ``generic/_field.html`` and the pages that
write their error lines by hand use it."""

import pytest
from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class QuantityForm(forms.Form):
    quantity = forms.CharField(label=_("数量"))


def _field_html(language: str) -> str:
    form = QuantityForm({"quantity": "5"})
    form.is_valid()
    form.add_error("quantity", "<b>超过</b>")
    with translation.override(language):
        return render_to_string("generic/_field.html", {"field": form["quantity"]})


def test_the_generic_field_names_itself_in_each_language():
    assert '<div class="text-danger small">数量:&lt;b&gt;超过&lt;/b&gt;</div>' in _field_html(
        "zh-hans"
    )
    assert '<div class="text-danger small">Quantity: &lt;b&gt;超过&lt;/b&gt;</div>' in (
        _field_html("en")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "line"),
    [("zh-hans", "用户名:这个字段是必填项。"), ("en", "User name: This field is required.")],
)
def test_the_login_page_error_lines(language, line):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert f'<div class="text-danger small">{line}</div>' in response.content.decode()
