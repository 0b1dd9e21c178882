"""How published projects are made, for tests/test_every_record_visible.py (``MAKERS``)."""

import itertools

from django.contrib.auth import get_user_model
from django.urls import reverse

from tuijin.projects.tests.factories import make_project
from tuijin.public import services

_numbers = itertools.count(1)


def makers(Made) -> dict:
    def make(name):
        user = get_user_model().objects.get(username=name)
        n = next(_numbers)
        project = make_project(f"公开示范项目{n}", code=f"PUB-{name}-{n}")
        return services.publish(user, project)

    return {
        # Zone leaders and admins publish; the public page then shows the project to anyone.
        "public.publishedproject": [
            Made(
                ("leader", "admin"),
                make,
                lambda row: reverse("public:index"),
                lambda row: row.project.name,
            )
        ]
    }
