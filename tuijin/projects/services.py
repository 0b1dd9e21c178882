"""State changes of the ledger. Each is named for what officials do; audit events are written
by AuditedModel inside the same transaction, with the verb named by audit_context."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.core.photos import read_photo
from tuijin.org.access import person_of
from tuijin.projects.lights import LIGHT_RANK, Thresholds, load_facts, project_light
from tuijin.projects.models import (
    Light,
    PeriodLight,
    ProgressReport,
    Project,
    ProjectFile,
)
from tuijin.projects.periods import Period, period_containing, periods_due_before


def refresh_lights(projects, as_of: dt.date | None = None) -> int:
    """Recompute and store the light of each project; returns how many changed."""
    as_of = as_of or timezone.localdate()
    t = Thresholds.current()
    projects = list(projects)
    facts = load_facts(projects, as_of, t)
    changed = []
    now = timezone.now()
    for project in projects:
        light, reasons = project_light(facts[project.pk], as_of, t)
        reasons = [r.as_dict() for r in reasons]
        if (project.light, project.light_reasons) != (light, reasons):
            if project.light != light or project.light_since is None:
                project.light_since = now  # the weekly digest reports new reds
            project.light, project.light_reasons = light, reasons
            changed.append(project)
    # Derived columns, left out of the audit on purpose (the facts behind them are audited).
    Project.objects.bulk_update(changed, ["light", "light_reasons", "light_since"], batch_size=500)
    return len(changed)


def freeze_period_lights(period: Period, projects=None) -> int:
    """Keep each project's light for `period`, computed on the period's due date. Idempotent."""
    t = Thresholds.current()
    as_of = period.due(t.due_days) + dt.timedelta(days=1)
    # What was known when the period's report fell due: nothing filed later, no later period.
    known_before = timezone.make_aware(dt.datetime.combine(as_of, dt.time.min))
    projects = list(projects if projects is not None else Project.objects.all())
    done = set(
        PeriodLight.objects.filter(period_start=period.start, project__in=projects).values_list(
            "project_id", flat=True
        )
    )
    todo = [p for p in projects if p.pk not in done]
    facts = load_facts(todo, as_of, t, through_period=period.start, known_before=known_before)
    rows = []
    for project in todo:
        light, reasons = project_light(facts[project.pk], as_of, t)
        rows.append(
            PeriodLight(
                project=project,
                period_start=period.start,
                light=light,
                frozen_light=light,
                reasons=[r.as_dict() for r in reasons],
            )
        )
    PeriodLight.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def freeze_due_periods(as_of: dt.date | None = None) -> int:
    """Daily: freeze the most recent period whose due date has passed."""
    t = Thresholds.current()
    as_of = as_of or timezone.localdate()
    (period,) = periods_due_before(as_of, t.period_kind, t.due_days, 1)
    return freeze_period_lights(period)


def revise_period_light(project: Project, period: Period) -> None:
    """A report made up after the period was frozen: red can become yellow, never green."""
    record = PeriodLight.objects.filter(project=project, period_start=period.start).first()
    if record is None:
        return
    t = Thresholds.current()
    as_of = period.due(t.due_days) + dt.timedelta(days=1)
    facts = load_facts([project], as_of, t, through_period=period.start)  # made-up reports count
    light, reasons = project_light(facts[project.pk], as_of, t)
    reasons = [r.as_dict() for r in reasons]
    if LIGHT_RANK[light] < LIGHT_RANK[record.frozen_light]:
        frozen = Light(record.frozen_light).label
        light = Light.YELLOW
        reasons.append(
            {
                "light": light,
                "rule": "made_up",
                "text": f"{period.label()}进度为逾期补报(原为{frozen}灯)",
            }
        )
    record.light, record.reasons = light, reasons
    record.save(update_fields=["light", "reasons", "updated_at"])


def photo_taken_at(upload) -> dt.datetime | None:
    """Capture time from the photo's EXIF, or None (not an image Pillow reads: keep the file)."""
    try:
        return read_photo(upload).taken_at
    except ValueError:
        return None


def attach_files(user, project: Project, uploads, kind: str, report=None) -> list[ProjectFile]:
    person = person_of(user)
    files = []
    for upload in uploads:
        files.append(
            ProjectFile.objects.create(
                project=project,
                report=report,
                kind=kind,
                file=upload,
                caption=upload.name[:200],
                taken_at=photo_taken_at(upload) if kind == ProjectFile.Kind.PHOTO else None,
                uploaded_by=person,
            )
        )
    return files


@transaction.atomic
def submit_report(
    user, project: Project, report: ProgressReport, photos=(), problem_category=None
) -> ProgressReport:
    """File a progress report (进度填报) and recompute the project's light at once.

    With a problem category, the report's 存在问题 becomes a tracked problem (supervision).
    """
    t = Thresholds.current()
    period = period_containing(report.period_start, t.period_kind)
    report.project = project
    report.period_start, report.period_end = period.start, period.end
    report.submitted_by = person_of(user)
    report.submitted_at = timezone.now()
    with audit_context(actor=user, action="submit_report"):
        report.save()
        attach_files(user, project, photos, ProjectFile.Kind.PHOTO, report=report)
    if problem_category is not None:
        from tuijin.supervision.services import raise_problems_from_report

        raise_problems_from_report(user, report, problem_category)
    refresh_lights([project])
    if period.due(t.due_days) < timezone.localdate():
        revise_period_light(project, period)
    return report


@transaction.atomic
def upload_files(user, project: Project, uploads, kind: str) -> list[ProjectFile]:
    """Photos or documents added to a project outside a progress report."""
    with audit_context(actor=user, action="upload_files"):
        return attach_files(user, project, uploads, kind)


def is_late(report: ProgressReport, due_days: int) -> bool:
    return timezone.localtime(report.submitted_at).date() > report.period_end + dt.timedelta(
        days=due_days
    )


@transaction.atomic
def save_project(user, form) -> Project:
    """Create or edit a project from its form (with its many-to-many fields)."""
    action = "update_project" if form.instance.pk else "create_project"
    with audit_context(actor=user, action=action):
        project = form.save()
    refresh_lights([project])
    return project


@transaction.atomic
def save_related(user, project: Project, formset, action: str) -> None:
    """Save a formset of approvals, milestones or annual plans and recompute the light."""
    with audit_context(actor=user, action=action):
        formset.save()
    refresh_lights([project])
