"""Tokens: made on the tokens page, shown once, stored hashed, expiring, revoked at once;
a read-only token changes nothing; sessions need CSRF to write; errors are JSON in Chinese."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import clear_cache, login_as
from tuijin.api.models import AccessToken, digest
from tuijin.api.tests.helpers import TokenClient, api_as, token_for
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.tests.factories import make_item

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_in_json(client):
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "令牌" in body["message"]


def test_the_tokens_page_shows_a_new_token_once_and_stores_only_its_hash(org):
    client = login_as("jingfa")
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 200
    response = client.post(
        reverse("api:tokens"), {"name": "统计局对接", "scope": "read", "days": "90"}
    )
    assert response.status_code == 302
    shown = client.get(reverse("api:tokens")).content.decode()
    secret = shown.split('id="new-token-secret">')[1].split("<")[0]
    assert secret.startswith("tj_") and len(secret) > 40
    token = AccessToken.objects.get(name="统计局对接")
    assert token.token_hash == digest(secret) and secret not in str(
        AccessToken.objects.filter(pk=token.pk).values().first()
    )
    assert token.scope == "read"
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
    assert secret not in client.get(reverse("api:tokens")).content.decode()  # once only
    me = TokenClient(secret).get("/me")
    assert me.status_code == 200 and me.json()["token_scope"] == "read"
    assert me.json()["person"]["name"]
    assert "phone" not in me.json()["person"]
    assert AccessToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_revoked_token_stops_at_once(org):
    client = login_as("jingfa")
    api = TokenClient(token_for("jingfa"))
    assert api.get("/me").status_code == 200
    token = AccessToken.objects.get(user__username="jingfa")
    response = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api.get("/me").status_code == 401
    assert api.get("/projects").status_code == 401


def test_an_expired_token_is_refused(org):
    api = TokenClient(token_for("jingfa"))
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get("/me").status_code == 401


def test_someone_else_cannot_revoke_my_token(org):
    token_for("jingfa")
    token = AccessToken.objects.get(user__username="jingfa")
    response = login_as("chengdong").post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None


def test_an_inspector_may_only_make_read_only_tokens(org):
    client = login_as("jijian")
    response = client.post(reverse("api:tokens"), {"name": "核查", "scope": "write", "days": "30"})
    assert response.status_code == 400
    assert not AccessToken.objects.filter(user__username="jijian").exists()


def write_operations():
    """Every write operation of the spec, with its path (POST, PUT, PATCH, DELETE)."""
    from tuijin.api.api import api

    spec = api.get_openapi_schema()
    return [
        (method, path)
        for path, ops in spec["paths"].items()
        for method in ops
        if method in ("post", "put", "patch", "delete")
    ]


def test_a_read_only_token_cannot_change_anything(org):
    item = make_item(lead="经济发展局")
    api = api_as("duban", scope="read")
    operations = write_operations()
    assert len(operations) >= 10
    for method, path in operations:
        url = path.replace("/api/v1", "").replace("{item_id}", str(item.pk))
        response = getattr(api.client, method)(
            f"/api/v1{url}",
            {"version": item.version, "note": "快", "text": "好", "reason": "因"},
            content_type="application/json",
            headers=api.headers,
        )
        assert response.status_code == 403, (path, response.status_code)
        assert response.json()["code"] == "token_read_only"
    after = SupervisionItem.objects.get(pk=item.pk)
    assert (after.version, after.state, after.urge_count) == (item.version, item.state, 0)


def test_session_writes_need_the_csrf_token(org):
    from django.contrib.auth import get_user_model
    from django.test import Client

    item = make_item(lead="经济发展局")
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="duban"))
    assert client.get(f"/api/v1/items/{item.pk}").status_code == 200
    url = f"/api/v1/items/{item.pk}/urge"
    body = {"version": item.version, "note": "请加快"}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert SupervisionItem.objects.get(pk=item.pk).urge_count == 0
    client.get(reverse("api:tokens"))  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    done = client.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert done.status_code == 200, done.content
    assert SupervisionItem.objects.get(pk=item.pk).urge_count == 1


def test_rate_limit_answers_429_with_retry_after(org, settings):
    settings.API_RATE_LIMIT = 3
    clear_cache()
    api = api_as("jingfa")
    assert [api.get("/me").status_code for _ in range(3)] == [200] * 3
    response = api.get("/me")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert api_as("chengdong").get("/me").status_code == 200  # per token
    clear_cache()


def test_bad_input_is_4xx_with_field_errors(org):
    api = api_as("leader")
    bad_limit = api.get("/projects", {"limit": "0"})
    assert bad_limit.status_code == 422
    assert bad_limit.json()["code"] == "invalid"
    assert "limit" in bad_limit.json()["errors"]
    assert api.get("/projects", {"cursor": "!!!"}).status_code == 400
    assert api.get("/projects", {"stage": "nonsense"}).json()["errors"].keys() == {"stage"}
    assert api.get("/projects", {"unit": str(2**40)}).status_code == 422
    assert api.get("/projects/999999").json()["code"] == "not_found"
    wrong_method = api.get("/items/1/sign")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    assert wrong_method["Allow"] == "POST"
    assert api.get("/no-such-thing").json()["code"] == "not_found"
    item = make_item(lead="经济发展局")
    bad = api.post(f"/items/{item.pk}/extend", {"version": item.version, "new_deadline": "x"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"new_deadline", "reason"}
    stale = api.post(f"/items/{item.pk}/urge", {"version": item.version})
    assert stale.status_code == 200
    conflict = api.post(f"/items/{item.pk}/cancel", {"version": item.version, "note": "重复"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"


def test_details_carry_an_etag(org):
    item = make_item(lead="经济发展局")
    api = api_as("leader")
    first = api.get(f"/items/{item.pk}")
    assert first.status_code == 200 and first["ETag"]
    again = api.get(f"/items/{item.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert api.get(f"/items/{item.pk}", **{"If-None-Match": first["ETag"]}).status_code == 304
    assert again.status_code in (200, 304)
    api.post(f"/items/{item.pk}/urge", {"version": item.version})
    changed = api.get(f"/items/{item.pk}", **{"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_admin_revokes_a_token_on_the_admin_site(org):
    token_for("jingfa")
    token = AccessToken.objects.get(user__username="jingfa")
    response = login_as("admin").post(
        reverse("admin:api_accesstoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert AccessToken.objects.get(pk=token.pk).revoked_at is not None


def test_the_spec_command_writes_the_committed_file(tmp_path, settings):
    from django.core.management import call_command

    from tuijin.api.tests.test_openapi import SPEC

    settings.BASE_DIR = tmp_path
    call_command("api_spec", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    assert (tmp_path / "docs" / "api" / "openapi.json").read_text() == SPEC.read_text()
