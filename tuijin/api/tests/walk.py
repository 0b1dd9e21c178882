"""The tokens pages in the URL walk (tests/test_every_url.py): each user's own, for everyone.
The API itself (namespace ``api-v1``) answers in JSON and is walked role by role in
tuijin/api/tests/test_roles.py instead."""


def cases(reads, writes) -> dict:
    return {
        "api:tokens": writes(),  # a personal setting: every persona makes their own
        "api:token_revoke": writes("api_token", post_only=True),
    }


def walk_records(unit) -> dict:
    """A token of the unit's head (a record only its owner, and admins, may revoke)."""
    from tuijin.api import services
    from tuijin.org.models import Person

    head = Person.objects.filter(unit=unit).exclude(user=None).first()
    token, _secret = services.create_token(head.user, name="走查", scope="read", days=30)
    return {"api_token": token}
