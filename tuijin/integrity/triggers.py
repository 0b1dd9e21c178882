"""Talks the workflow asks for (R15 item 8): a scan, run every hour by ``tasks.py`` (and by
the demo), that puts a due talk on the inspectors' list when

- a project is about to start (项目开工前谈话): not started, its planned start or a 开工
  milestone within ``LEAD_DAYS``; due on that day;
- a project is about to tender (招投标): a milestone named 招标 not done, due within
  ``LEAD_DAYS``; a 提醒谈话 due on the milestone's day;
- a project reaches acceptance (验收): completed, or a 验收 milestone within ``LEAD_DAYS``;
  a 提醒谈话 due ``ACCEPTANCE_DAYS`` after;
- a unit has a new head (单位负责人变动): an active person with the role 单位负责人 who has
  never been talked with for that unit; a 任前谈话 due ``HEAD_DAYS`` after.

Each occasion has a key (``start:<project>``, ``tender:<milestone>``,
``acceptance:<project>``, ``head:<person>:<unit>``): a talk is opened once per key, so the
scan can run any number of times. It reads the projects and people through their tables and
changes nothing of theirs: the projects app is not edited for it.
"""

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from tuijin.core.templatetags.tuijin import cn_date
from tuijin.integrity.models import Talk, TalkKind, Trigger
from tuijin.integrity.services import open_due_talk
from tuijin.org.models import Person, Role
from tuijin.projects.models import NOT_STARTED_STAGES, Milestone, Project
from tuijin.projects.models import Stage as ProjectStage

logger = logging.getLogger(__name__)

LEAD_DAYS = 30
ACCEPTANCE_DAYS = 10
HEAD_DAYS = 10


def heads_of(unit_id: int) -> list[Person]:
    return list(
        Person.objects.filter(unit_id=unit_id, role=Role.UNIT_HEAD, is_active=True).order_by("pk")
    )


def _start_talks(today: dt.date, horizon: dt.date) -> list[Talk]:
    made = []
    projects = Project.objects.filter(
        stage__in=NOT_STARTED_STAGES, actual_start__isnull=True
    ).select_related("unit")
    starting = {
        p.pk: (p, p.planned_start)
        for p in projects.filter(planned_start__isnull=False, planned_start__lte=horizon)
    }
    for milestone in Milestone.objects.filter(
        project__in=projects,
        name__contains="开工",
        done_date__isnull=True,
        due_date__lte=horizon,
    ).select_related("project__unit"):
        known = starting.get(milestone.project_id)
        if known is None or milestone.due_date < known[1]:
            starting[milestone.project_id] = (milestone.project, milestone.due_date)
    for project, day in starting.values():
        talk = open_due_talk(
            key=f"start:{project.pk}",
            unit=project.unit,
            kind=TalkKind.PROJECT_START,
            due_date=max(day, today),
            trigger=Trigger.PROJECT_START,
            note=f"{project.name}计划{cn_date(day)}开工",
            project=project,
            talkees=heads_of(project.unit_id),
        )
        made.append(talk)
    return made


def _tender_talks(today: dt.date, horizon: dt.date) -> list[Talk]:
    made = []
    for milestone in Milestone.objects.filter(
        name__contains="招标", done_date__isnull=True, due_date__lte=horizon, due_date__gte=today
    ).select_related("project__unit"):
        project = milestone.project
        made.append(
            open_due_talk(
                key=f"tender:{milestone.pk}",
                unit=project.unit,
                kind=TalkKind.REMINDER,
                due_date=milestone.due_date,
                trigger=Trigger.TENDER,
                note=f"{project.name}「{milestone.name}」计划{cn_date(milestone.due_date)}",
                project=project,
                talkees=heads_of(project.unit_id),
            )
        )
    return made


def _acceptance_talks(today: dt.date, horizon: dt.date) -> list[Talk]:
    made = []
    occasions = {}
    for project in Project.objects.filter(
        stage=ProjectStage.COMPLETED, actual_completion__gte=today - dt.timedelta(days=LEAD_DAYS)
    ).select_related("unit"):
        occasions[project.pk] = (project, project.actual_completion, "竣工")
    for milestone in Milestone.objects.filter(
        Q(done_date__isnull=True, due_date__gte=today) | Q(done_date__gte=today),
        name__contains="验收",
        due_date__lte=horizon,
    ).select_related("project__unit"):
        occasions.setdefault(
            milestone.project_id, (milestone.project, milestone.due_date, milestone.name)
        )
    for project, day, what in occasions.values():
        made.append(
            open_due_talk(
                key=f"acceptance:{project.pk}",
                unit=project.unit,
                kind=TalkKind.REMINDER,
                due_date=max(day, today) + dt.timedelta(days=ACCEPTANCE_DAYS),
                trigger=Trigger.ACCEPTANCE,
                note=f"{project.name}{what}({cn_date(day)}),验收环节提醒",
                project=project,
                talkees=heads_of(project.unit_id),
            )
        )
    return made


def _head_talks(today: dt.date) -> list[Talk]:
    made = []
    talked = set(Talk.talkees.through.objects.values_list("person_id", "talk__unit_id").distinct())
    for head in Person.objects.filter(role=Role.UNIT_HEAD, is_active=True).select_related("unit"):
        if (head.pk, head.unit_id) in talked:
            continue
        made.append(
            open_due_talk(
                key=f"head:{head.pk}:{head.unit_id}",
                unit=head.unit,
                kind=TalkKind.APPOINTMENT,
                due_date=today + dt.timedelta(days=HEAD_DAYS),
                trigger=Trigger.HEAD_CHANGE,
                note=f"{head.name}任{head.unit.name}{head.title or '负责人'}",
                talkees=[head],
            )
        )
    return made


def scan(today: dt.date | None = None) -> list[Talk]:
    """Open the due talks the projects and the organisation ask for today; the new talks."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=LEAD_DAYS)
    made = [
        *_start_talks(today, horizon),
        *_tender_talks(today, horizon),
        *_acceptance_talks(today, horizon),
        *_head_talks(today),
    ]
    made = [talk for talk in made if talk is not None]
    if made:
        logger.info("integrity: %d due talks opened", len(made))
    return made
