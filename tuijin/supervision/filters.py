"""The 督办 board's filters and its one queryset builder (`board_queryset`).

The board page, its export and the export job read the same GET parameters through the
same builder, so a filtered board is a link one can send and its export holds exactly the
rows shown. A bad parameter makes the FilterSet invalid: the board shows no rows and says so.
"""

import datetime as dt
from dataclasses import dataclass

import django_filters
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import search_field
from tuijin.org.access import person_of, visible_units
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Project
from tuijin.supervision.models import (
    OPEN_STATES,
    ExtensionRequest,
    ItemState,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.rules import light_filter

OPEN = [s.value for s in OPEN_STATES]
VIEWS = ("all", "mine", "week", "overdue")
LIGHT_CHOICES = [
    ("red", _("红灯(已超期)")),
    ("yellow", _("黄灯(临近期限)")),
    ("green", _("绿灯")),
    ("closed_on_time", _("按期办结")),
    ("closed_late", _("逾期办结")),
]
LIGHT_KEYS = [key for key, _label in LIGHT_CHOICES]


def week_end(today: dt.date) -> dt.date:
    """Sunday of today's week (today itself on a Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def overdue_q(today: dt.date) -> Q:
    return Q(state__in=OPEN, deadline__lt=today)


def due_this_week_q(today: dt.date) -> Q:
    return Q(state__in=OPEN, deadline__gte=today, deadline__lte=week_end(today))


# Values of the state filter that stand for several states (the home pages link with them).
PSEUDO_STATES = {
    "open": OPEN,
    "working": [ItemState.ACCEPTED, ItemState.IN_PROGRESS],
    "to_verify": [ItemState.REPORTED, ItemState.VERIFYING],
}


def pending_extension_q() -> Q:
    """Open items with an extension request waiting for a decision."""
    pending = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
    return Q(state__in=OPEN, pk__in=pending.values("item"))


def scheduled_q(now: dt.datetime) -> Q:
    """Items waiting for an on-site verification scheduled from today on. Only 核查中: once
    verified (部分属实/不属实 return the item to 办理中) or sent back, the check is not ahead."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return Q(state=ItemState.VERIFYING, verification_at__gte=start)


def mine_q(user) -> Q | None:
    """Items the user answers for: responsible, assigner, or their unit leads or co-operates."""
    person = person_of(user)
    if person is None:
        return None
    co_items = SupervisionItem.objects.filter(co_units=person.unit_id).values("pk")
    return (
        Q(responsible=person)
        | Q(assigner=person)
        | Q(lead_unit=person.unit_id)
        | Q(pk__in=co_items)
    )


def board_leader_ids(user) -> QuerySet:
    """The ids of the 包保 leaders of projects with an item the user sees, as a subquery: a
    semi-join, not a DISTINCT over every item's leaders (B12)."""
    visible = SupervisionItem.objects.visible_to(user).filter(project__isnull=False)
    links = Project.leaders.through.objects.filter(project_id__in=visible.values("project_id"))
    return links.values("person_id")


def board_leaders(user) -> list:
    """Those leaders themselves: the board's leader options and its tab count, worked out
    once per request (cached on the user object, as ``person_of`` is)."""
    if not hasattr(user, "_tuijin_board_leaders"):
        user._tuijin_board_leaders = list(
            Person.objects.filter(pk__in=board_leader_ids(user)).order_by("name", "pk")
        )
    return user._tuijin_board_leaders


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", **search_field(label=_("搜索")))
    # Pseudo-states (several states at once) have values no ItemState has: one value, one meaning.
    state = django_filters.ChoiceFilter(
        choices=[
            ("open", _("未办结")),
            ("working", _("待反馈(已签收、办理中)")),
            ("to_verify", _("待核查(已反馈、核查中)")),
            *ItemState.choices,
        ],
        method="in_state",
        label=_("状态"),
    )
    light = django_filters.ChoiceFilter(choices=LIGHT_CHOICES, method="by_light", label=_("灯色"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="in_unit", label=_("牵头单位")
    )
    source = django_filters.ChoiceFilter(choices=SupervisionItem.Source.choices, label=_("来源"))
    leader = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), method="by_leader", label=_("包保领导")
    )
    # Not offered in the form; the boards by unit link with them.
    lead_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), field_name="lead_unit", label=_("牵头单位(本级)")
    )
    returned = django_filters.BooleanFilter(method="was_returned", label=_("有退回"))
    verified = django_filters.BooleanFilter(method="was_verified", label=_("已核查"))
    extension = django_filters.ChoiceFilter(
        choices=[("pending", _("待审批"))], method="with_extension", label=_("延期申请待审批")
    )
    scheduled = django_filters.BooleanFilter(method="is_scheduled", label=_("已安排现场核查"))

    FORM_FIELDS = ("q", "state", "light", "unit", "source", "leader")

    class Meta:
        model = SupervisionItem
        fields = []

    def __init__(self, *args, today: dt.date, user, options: bool = False, **kwargs):
        """``options``: the form is shown, with its lists of units and leaders; without it
        (the table alone, the export, the API) a chosen unit or leader is only checked."""
        super().__init__(*args, **kwargs)
        self.today = today
        base = self.queryset
        # Offer the units and leaders the user's items involve; any other value is invalid.
        self.filters["unit"].queryset = self.filters["lead_unit"].queryset = Unit.objects.filter(
            Q(pk__in=visible_units(user).values("pk")) | Q(pk__in=base.values("lead_unit"))
        )
        # Shown: the list the tab count also reads (board_leaders, once per request); else one
        # chosen leader checked against the subquery, no list built.
        leaders = [p.pk for p in board_leaders(user)] if options else board_leader_ids(user)
        self.filters["leader"].queryset = Person.objects.filter(pk__in=leaders).order_by("name")

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(requirement__icontains=word))
        return queryset

    def in_state(self, queryset, name, value):
        if value in PSEUDO_STATES:
            return queryset.filter(state__in=PSEUDO_STATES[value])
        return queryset.filter(state=value)

    def by_light(self, queryset, name, value):
        return queryset.filter(light_filter(value, self.today))

    def in_unit(self, queryset, name, unit):
        return queryset.filter(lead_unit__path__startswith=unit.path)

    def by_leader(self, queryset, name, person):
        return queryset.filter(project__leaders=person)

    def was_returned(self, queryset, name, value):
        return queryset.filter(returned_count__gt=0) if value else queryset

    def was_verified(self, queryset, name, value):
        checked = Verification.objects.values("item")
        return queryset.filter(pk__in=checked) if value else queryset

    def with_extension(self, queryset, name, value):
        return queryset.filter(pending_extension_q()) if value else queryset

    def is_scheduled(self, queryset, name, value):
        return queryset.filter(scheduled_q(timezone.now())) if value else queryset


@dataclass
class Board:
    view: str
    filterset: ItemFilter
    before_light: QuerySet  # every filter but the light: the light counts are over this
    queryset: QuerySet  # what the board shows, in order
    today: dt.date


def board_queryset(request, today: dt.date | None = None, options: bool = False) -> Board:
    """The board as the user filtered it: the page and the export share this. ``options``:
    the filter form will be shown (``ItemFilter``)."""
    today = today or timezone.localdate()
    user = request.user
    visible = SupervisionItem.objects.visible_to(user)
    view = request.GET.get("view", "all")
    view = view if view in VIEWS else "all"
    base = visible
    if view == "mine":
        rule = mine_q(user)
        base = base.filter(rule) if rule is not None else base.none()
    elif view == "week":
        base = base.filter(due_this_week_q(today))
    elif view == "overdue":
        base = base.filter(overdue_q(today))

    filterset = ItemFilter(request.GET, queryset=base, today=today, user=user, options=options)
    if filterset.is_valid():
        # The light is applied last, so the light counts can be taken just before it.
        cleaned = filterset.form.cleaned_data
        before_light = base
        for name, value in cleaned.items():
            if name != "light":
                before_light = filterset.filters[name].filter(before_light, value)
        queryset = filterset.filters["light"].filter(before_light, cleaned.get("light"))
    else:
        before_light = queryset = base.none()
    # Open items first, overdue first, then due soonest; closed and cancelled items last,
    # the most recently closed first.
    queryset = queryset.annotate(
        board_rank=Case(
            When(overdue_q(today), then=Value(0)),
            When(state__in=OPEN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        open_deadline=Case(When(state__in=OPEN, then=F("deadline")), default=None),
    ).order_by(
        "board_rank",
        "open_deadline",
        F("closed_on").desc(nulls_last=True),
        F("deadline").desc(),
        "pk",
    )
    return Board(view, filterset, before_light, queryset, today)


def with_row_data(queryset):
    """Everything a board row or an exported row shows, in a constant number of queries."""
    return queryset.select_related(
        "lead_unit", "project", "responsible", "assigner"
    ).prefetch_related("co_units")
