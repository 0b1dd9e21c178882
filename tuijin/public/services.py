"""Publish and withdraw a project (audited). Checks ``permissions.can_publish`` and that the
project is in the user's scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.audit import audit_context
from tuijin.org.access import person_of
from tuijin.projects.models import Project
from tuijin.public.models import PublishedProject
from tuijin.public.permissions import can_publish


def _check(user, project: Project) -> None:
    if not can_publish(user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开项目"))
    if not Project.objects.visible_to(user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("不在您的管理范围内"))


def publish(user, project: Project) -> PublishedProject:
    _check(user, project)
    with transaction.atomic(), audit_context(actor=user, action="publish"):
        row = PublishedProject.objects.select_for_update().filter(project=project).first()
        if row is None:
            row = PublishedProject(project=project)
        row.published = True
        row.published_at = timezone.now()
        row.by = person_of(user)
        row.save()
    return row


def unpublish(user, project: Project) -> None:
    _check(user, project)
    with transaction.atomic(), audit_context(actor=user, action="unpublish"):
        row = PublishedProject.objects.select_for_update().filter(project=project).first()
        if row is not None and row.published:
            row.published = False
            row.by = person_of(user)
            row.save()
