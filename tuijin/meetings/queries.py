"""Querysets the meeting pages read: one meeting with everything its page shows, and the
problems it takes up."""

from django.db.models import Prefetch, Q

from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.supervision.models import Problem


def meeting_queryset():
    return Meeting.objects.select_related("park", "project", "chair__unit").prefetch_related(
        "invited_units",
        Prefetch("attendances", Attendance.objects.select_related("person__unit")),
        Prefetch(
            "decisions",
            Decision.objects.select_related("item__lead_unit", "problem").prefetch_related(
                "item__co_units"
            ),
        ),
    )


def agenda_problems(user, meeting: Meeting):
    """The problems the meeting takes up: those escalated to meeting level (at its park, for an
    on-site meeting), those its decisions address, and those it has settled."""
    rule = Q(decisions__meeting=meeting) | Q(settled_at_meetings=meeting)
    if meeting.kind != MeetingKind.DISPATCH:
        escalated = Q(
            level=Problem.Level.MEETING,
            status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING],
        )
        if meeting.park_id:
            escalated &= Q(project__park=meeting.park_id)
        rule |= escalated
    return (
        Problem.objects.visible_to(user)
        .filter(pk__in=Problem.objects.filter(rule).values("pk"))
        .select_related("category", "project", "enterprise")
        .order_by("raised_at", "pk")
    )
