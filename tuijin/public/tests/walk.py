"""The public app's URLs for the URL walk (tests/test_every_url.py): the progress page and the
OC4IDS download are the only pages open without login (``public=True``); the page that chooses
what is published is the zone leaders' and admins'."""

PUBLISHERS = {"leader", "admin"}


def cases(reads, writes, case, personas) -> dict:
    return {
        "public:index": case(public=True),
        "public:oc4ids": case(public=True),
        "public:manage": reads(),
        "public:toggle": writes("project", set(personas) - PUBLISHERS, post_only=True),
    }
