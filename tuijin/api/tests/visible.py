"""How API tokens are made, for tests/test_every_record_visible.py (``MAKERS``)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tuijin.api import services

EVERYONE = ("leader", "duban", "jingfa", "jingfa_staff", "zhaoshang", "chengdong", "ziran",
            "jijian", "qiye", "admin")  # fmt: skip


def makers(Made) -> dict:
    def make(name):
        user = get_user_model().objects.get(username=name)
        token, _secret = services.create_token(user, name=f"{name}的令牌", scope="read", days=30)
        return token

    return {
        # A personal access token is its owner's alone (and admins', to revoke a leaked one).
        "api.accesstoken": [
            Made(
                EVERYONE,
                make,
                lambda token: reverse("api:tokens"),
                lambda token: token.name,
                zone_leader=False,
            )
        ]
    }
