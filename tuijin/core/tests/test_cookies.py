"""Cookie flags the web scanner checks (docs/security.md, Scanner): no script reads the CSRF or
the language cookie, so both are HttpOnly; the language cookie is Secure like the session's."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_csrf_cookie_is_http_only():
    response = Client().get("/accounts/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"]


def test_language_cookie_is_http_only_lax_and_secure_with_https(settings, leader):
    settings.LANGUAGE_COOKIE_SECURE = True  # as HTTPS=1 sets it in production
    response = leader.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]
