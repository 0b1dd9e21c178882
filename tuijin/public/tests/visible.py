"""How published projects and public photos are made, for tests/test_every_record_visible.py
(``MAKERS``)."""

import itertools

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tuijin.core.demo_photos import site_photo
from tuijin.projects.models import ProjectFile
from tuijin.projects.tests.factories import make_project
from tuijin.public import services

_numbers = itertools.count(1)


def makers(Made) -> dict:
    def make(name):
        user = get_user_model().objects.get(username=name)
        n = next(_numbers)
        project = make_project(f"公开示范项目{n}", code=f"PUB-{name}-{n}")
        return services.publish(user, project)

    def make_photo(name):
        user = get_user_model().objects.get(username=name)
        published = make(name)
        n = next(_numbers)
        checked = site_photo(n, timezone.now(), name="公开")
        photo = ProjectFile.objects.create(
            project=published.project,
            kind=ProjectFile.Kind.PHOTO,
            file=checked,
            original_name=checked.name,
            caption=f"公开的现场照片{n}号",
        )
        return services.mark_photo_public(user, photo)

    return {
        # Zone leaders and admins publish; the public page then shows the project to anyone.
        "public.publishedproject": [
            Made(
                ("leader", "admin"),
                make,
                lambda row: reverse("public:index"),
                lambda row: row.project.name,
            )
        ],
        # They show a published project's photo there too: its page of photos lists it.
        "public.publicphoto": [
            Made(
                ("leader", "admin"),
                make_photo,
                lambda row: reverse("public:photos_edit", args=[row.photo.project_id]),
                lambda row: row.photo.caption,
            )
        ],
    }
