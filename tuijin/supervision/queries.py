"""The boards' numbers: each is one aggregation query, so the query count does not grow
with the number of items, units or leaders."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from tuijin.org.models import Person
from tuijin.supervision.filters import (
    LIGHT_CHOICES,
    LIGHT_KEYS,
    OPEN,
    board_leaders,
    due_this_week_q,
    mine_q,
    overdue_q,
    week_end,
)
from tuijin.supervision.models import SupervisionItem, Verification
from tuijin.supervision.rules import light_filter, truthfulness_index


def tab_counts(user, today: dt.date) -> dict:
    """The numbers on the tabs, over all items the user sees (no filters)."""
    visible = SupervisionItem.objects.visible_to(user)
    counts = {
        "all": Count("pk"),
        "week": Count("pk", filter=due_this_week_q(today)),
        "overdue": Count("pk", filter=overdue_q(today)),
    }
    if (rule := mine_q(user)) is not None:
        counts["mine"] = Count("pk", filter=rule)
    result = {"mine": 0, **visible.aggregate(**counts)}
    result["units"] = visible.order_by().values("lead_unit").distinct().count()
    result["leaders"] = len(board_leaders(user))
    return result


def light_counts(queryset, today: dt.date) -> list[tuple[str, str, int]]:
    counts = queryset.order_by().aggregate(
        **{f"n_{key}": Count("pk", filter=light_filter(key, today)) for key in LIGHT_KEYS}
    )
    return [(key, label, counts[f"n_{key}"]) for key, label in LIGHT_CHOICES]


def unit_rows(visible, today: dt.date) -> list[dict]:
    rows = list(
        visible.order_by()
        .values("lead_unit", "lead_unit__name", "lead_unit__path")
        .annotate(
            open=Count("pk", filter=Q(state__in=OPEN)),
            overdue=Count("pk", filter=overdue_q(today)),
            week=Count("pk", filter=due_this_week_q(today)),
            on_time=Count("pk", filter=light_filter("closed_on_time", today)),
            late=Count("pk", filter=light_filter("closed_late", today)),
            # Items returned at least once (what its link lists), not the number of returns.
            returned=Count("pk", filter=Q(returned_count__gt=0)),
        )
        .order_by("lead_unit__path")
    )
    results = defaultdict(list)
    for unit_id, result in Verification.objects.filter(item__in=visible.values("pk")).values_list(
        "unit", "result"
    ):
        results[unit_id].append(result)
    for row in rows:
        row["results"] = results.get(row["lead_unit"], [])
        row["truthfulness"] = truthfulness_index(row["results"])
        row["checks"] = len(row["results"])
    return rows


def leader_rows(visible, today: dt.date) -> list:
    """By 包保 leader: open, overdue and due-this-week items on the projects they lead."""
    items = "assigned_projects__items"

    return list(
        Person.objects.filter(**{f"{items}__in": visible.values("pk")})
        .select_related("unit")
        .annotate(
            total=Count(items),
            open=Count(items, filter=Q(**{f"{items}__state__in": OPEN})),
            overdue=Count(
                items,
                filter=Q(**{f"{items}__state__in": OPEN, f"{items}__deadline__lt": today}),
            ),
            week=Count(
                items,
                filter=Q(
                    **{
                        f"{items}__state__in": OPEN,
                        f"{items}__deadline__gte": today,
                        f"{items}__deadline__lte": week_end(today),
                    }
                ),
            ),
        )
        .order_by("-overdue", "-open", "name", "pk")
    )


def scheduled_verifications(user, start: dt.datetime, end: dt.datetime) -> list:
    """On-site verifications scheduled between start and end (安排现场核查: when and who), of
    the items the user sees, for the meetings calendar: two queries however many."""
    return list(
        SupervisionItem.objects.visible_to(user)
        .filter(verification_at__gte=start, verification_at__lt=end)
        .select_related("lead_unit", "project")
        .prefetch_related("verifiers")
        .order_by("verification_at", "pk")
    )
