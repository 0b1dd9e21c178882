"""Every change to work logs, visits, comments and the roster goes through these verbs."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from tuijin.core.audit import audit_context
from tuijin.core.rules_settings import setting
from tuijin.core.templatetags.tuijin import cn_date
from tuijin.core.uploads import facts_of
from tuijin.notify.models import Audience, Event
from tuijin.notify.services import Message, publish
from tuijin.org.access import person_of
from tuijin.org.models import Person
from tuijin.supervision.models import Problem
from tuijin.supervision.services import raise_problem
from tuijin.worklogs import rules, search
from tuijin.worklogs.models import Duty, Exemption, LogComment, LogPhoto, Visit, WorkLog, weekend_of
from tuijin.worklogs.permissions import can_comment_on_log, can_manage_roster_of, can_write_log


@dataclass
class VisitInput:
    """One visit of the log form; `problem_text` raises a problem on the visited record."""

    enterprise: object = None
    project: object = None
    purpose: str = ""
    found: str = ""
    solved: str = ""
    problem_category: object = None
    problem_text: str = ""


def _index(log: WorkLog, visits: list[Visit]) -> None:
    parts = [log.text]
    for visit in visits:
        parts += [str(visit.subject), visit.purpose, visit.found, visit.solved]
    log.search_text = search.index_text(*parts)
    log.save(update_fields=["search_text"])


@transaction.atomic
def write_log(
    user, *, kind: str, date: dt.date, text: str, visits: list[VisitInput], photos=()
) -> WorkLog:
    """书写日志: the log, its visits, the problems they raise and the photos, all or nothing."""
    if not can_write_log(user):
        raise PermissionDenied(gettext("您的角色不能书写工作日志。"))
    person = person_of(user)
    if date > timezone.localdate():
        raise ValidationError({"date": "日志日期不能晚于今天。"})
    if kind == WorkLog.Kind.WEEKEND and date.weekday() < 5:
        raise ValidationError({"date": "周末日志的日期须为周六或周日。"})
    if not text.strip():
        raise ValidationError({"text": "请填写工作内容。"})
    # Checked and read in the form (core.uploads), before this transaction opened.
    facts = [(upload, facts_of(upload)) for upload in photos]
    with audit_context(actor=user, action="write_log"):
        log = WorkLog.objects.create(
            author=person,
            unit=person.unit,
            kind=kind,
            date=date,
            text=text.strip(),
            submitted_at=timezone.now(),
        )
        saved = []
        for entry in visits:
            problem = None
            if entry.problem_text.strip():
                problem = raise_problem(
                    user,
                    category=entry.problem_category,
                    description=entry.problem_text,
                    project=entry.project,
                    enterprise=entry.enterprise if entry.project is None else None,
                    source=Problem.Source.VISIT,
                )
            saved.append(
                Visit.objects.create(
                    log=log,
                    enterprise=entry.enterprise,
                    project=entry.project,
                    visited_on=date,
                    visitor=person,
                    purpose=entry.purpose.strip(),
                    found=entry.found.strip(),
                    solved=entry.solved.strip(),
                    problem=problem,
                )
            )
        for upload, fact in facts:
            LogPhoto.objects.create(
                log=log,
                image=upload,
                original_name=upload.name[:255],
                sha256=fact.sha256,
                taken_at=fact.taken_at,
            )
        _index(log, saved)
    return log


@transaction.atomic
def comment_on_log(user, log: WorkLog, text: str) -> LogComment:
    """批阅: a reader's comment; the author hears of it."""
    if not can_comment_on_log(user, log):
        raise PermissionDenied(gettext("只有本单位负责人和区领导可以批阅日志。"))
    if not text.strip():
        raise ValidationError({"text": "请填写批阅意见。"})
    person = person_of(user)
    with audit_context(actor=user, action="comment_log"):
        comment = LogComment.objects.create(log=log, author=person, text=text.strip())
    message = Message(
        event=Event.WORKLOG_COMMENTED,
        key=f"log{log.pk}:c{comment.pk}",
        title=f"{person.name}批阅了您{cn_date(log.date)}的日志",
        body=comment.text,
        url=log.get_absolute_url(),
    )
    publish(message, unit=log.unit, people={Audience.PERSON: [log.author]})
    return comment


def _check_roster(user, person: Person) -> None:
    if not can_manage_roster_of(user, person):
        raise PermissionDenied(gettext("只有本单位负责人可以调整周末日志名单。"))


@transaction.atomic
def add_to_roster(user, person: Person, since: dt.date | None = None) -> Duty:
    """列入名单: from that weekend on, the cadre owes a weekend log."""
    _check_roster(user, person)
    with audit_context(actor=user, action="add_to_roster"):
        duty, _ = Duty.objects.get_or_create(
            person=person, defaults={"since": since or timezone.localdate()}
        )
    return duty


@transaction.atomic
def remove_from_roster(user, duty: Duty) -> None:
    _check_roster(user, duty.person)
    with audit_context(actor=user, action="remove_from_roster"):
        duty.delete()


@transaction.atomic
def grant_exemption(
    user, person: Person, *, reason: str, start: dt.date, end: dt.date, note: str = ""
) -> Exemption:
    """请假/免报: weekends overlapping the period are not owed."""
    _check_roster(user, person)
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    with audit_context(actor=user, action="grant_exemption"):
        return Exemption.objects.create(
            person=person,
            reason=reason,
            start=start,
            end=end,
            note=note.strip(),
            granted_by=person_of(user),
        )


@transaction.atomic
def revoke_exemption(user, exemption: Exemption) -> None:
    _check_roster(user, exemption.person)
    with audit_context(actor=user, action="revoke_exemption"):
        exemption.delete()


def send_weekend_reminders(now: dt.datetime | None = None) -> int:
    """On Saturday and Sunday from WORKLOG_REMINDER_HOUR: remind each cadre with no log yet,
    once a day (the delivery key holds the day, so running every half hour is safe)."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    if today.weekday() < 5 or now.hour < setting("WORKLOG_REMINDER_HOUR"):
        return 0
    saturday = weekend_of(today)
    deadline = rules.weekend_deadline(saturday)
    sent = 0
    for person in rules.owing_reminder(saturday, now):
        message = Message(
            event=Event.WORKLOG_MISSING,
            key=f"person{person.pk}:on{today}",
            title=f"请提交{cn_date(saturday)}周末工作日志",
            body=(
                f"{person.name}同志:您尚未提交本周末({cn_date(saturday)}—"
                f"{cn_date(saturday + dt.timedelta(days=1))})的工作日志,"
                f"请于{cn_date(deadline)}前提交。"
            ),
            url=reverse("worklogs:log_create"),
        )
        sent += len(publish(message, unit=person.unit, people={Audience.PERSON: [person]}))
    return sent
