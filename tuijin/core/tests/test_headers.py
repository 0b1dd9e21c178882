"""Security headers (docs/security.md, "Headers"): a Content-Security-Policy without inline
script or eval on every page, Referrer-Policy, Permissions-Policy with geolocation only where
the 督办 evidence form asks for it, and the file view's own sandbox kept.

tests/test_every_url.py applies `assert_security_headers` to every page of the URL walk."""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import login_as
from tuijin.projects.models import ProjectFile
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.tests.factories import make_item

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def permissions(response) -> dict[str, str]:
    return dict(
        re.fullmatch(r"([a-z-]+)=\((.*)\)", part.strip()).groups()
        for part in response["Permissions-Policy"].split(",")
    )


def assert_security_headers(response, label=""):
    """The headers every HTML answer carries; scripts only from our own origin (a nonce would
    be allowed too), never inline or eval."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    csp = directives(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, label
    assert all(s == "'self'" or s.startswith("'nonce-") for s in scripts), (label, scripts)
    assert csp["default-src"] == ["'self'"], label
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"], label
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"], label
    assert response["Referrer-Policy"] == "same-origin", label
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", label
    assert permissions(response)["camera"] == "", label


def test_pages_of_every_kind_carry_the_headers(org, client):
    answers = {"login": client.get(reverse("login"))}
    leader = login_as("leader")
    answers["home"] = leader.get(reverse("home"))
    answers["404"] = leader.get("/no/such/page/")
    answers["403"] = login_as("jijian").get(reverse("projects:project_create"))
    admin = login_as("admin")
    for url in ("admin:index", "admin:auth_user_changelist", "admin:auth_user_add"):
        answers[url] = admin.get(reverse(url))
    answers["password"] = leader.get(reverse("password_change"))
    for label, response in answers.items():
        assert response.status_code in (200, 403, 404), label
        assert response["Content-Type"].startswith("text/html"), label
        assert_security_headers(response, label)
        assert permissions(response)["geolocation"] == "", label


def test_geolocation_is_allowed_only_on_the_item_page(org):
    """Its feedback and verification forms fill their place from the browser (geo.js)."""
    item = make_item(lead="经济发展局", state="in_progress")
    head = login_as("jingfa")
    page = head.get(item.get_absolute_url())
    assert page.status_code == 200 and b"data-geo" in page.content
    assert permissions(page)["geolocation"] == "self"
    assert permissions(page)["camera"] == ""
    # The same page shown again with a refusal (feedback without text) keeps it.
    refused = head.post(reverse("supervision:item_action", args=[item.pk, "report"]), {})
    assert refused.status_code == 400 and b"data-geo" in refused.content
    assert permissions(refused)["geolocation"] == "self"
    assert permissions(head.get(reverse("projects:project_list")))["geolocation"] == ""


def test_the_file_view_keeps_its_own_sandbox(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = make_project(name="犇星二期", unit="经济发展局")
    photo = ProjectFile.objects.create(
        project=project,
        kind=ProjectFile.Kind.PHOTO,
        file=ContentFile(PNG, name="现场.png"),
        original_name="现场.png",
    )
    response = login_as("jingfa").get(reverse("file", args=["projects.projectfile", photo.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|\shx-on|javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)  # style-src-elem 'self': attributes only


def test_templates_hold_no_inline_script_or_handler():
    """What the CSP would refuse in the browser, found before a browser runs: JS belongs in
    static/js, data goes through json_script or data- attributes, styles in static/css (or a
    style attribute)."""
    root = Path(settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for path in sorted(root.rglob("*.html"))
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ELEMENT)
        for match in pattern.finditer(path.read_text())
    ]
    assert not found
