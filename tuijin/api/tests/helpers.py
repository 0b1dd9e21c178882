"""Shared by the API tests: a client calling with a token."""

from django.contrib.auth import get_user_model
from django.test import Client

from tuijin.api import services
from tuijin.api.models import AccessToken


def token_for(username: str, scope: str = AccessToken.Scope.WRITE) -> str:
    user = get_user_model().objects.get(username=username)
    if scope == AccessToken.Scope.WRITE:
        from tuijin.org.access import can_write

        if not can_write(user):
            scope = AccessToken.Scope.READ
    _token, secret = services.create_token(user, name="测试", scope=scope, days=30)
    return secret


class TokenClient:
    """Calls the API as a token holder (JSON in, JSON out)."""

    def __init__(self, secret: str):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, params=None, **headers):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers | headers)

    def post(self, path: str, data=None, **headers):
        return self.client.post(
            f"/api/v1{path}",
            data if data is not None else {},
            content_type="application/json",
            headers=self.headers | headers,
        )


def api_as(username: str, scope: str = AccessToken.Scope.WRITE) -> TokenClient:
    return TokenClient(token_for(username, scope))


def all_items(client: TokenClient, path: str, params=None) -> list[dict]:
    """Every row of a list, page after page."""
    rows, params = [], dict(params or {}, limit=200)
    while True:
        response = client.get(path, params)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        body = response.json()
        rows += body["items"]
        if not body["next_cursor"]:
            return rows
        params["cursor"] = body["next_cursor"]
