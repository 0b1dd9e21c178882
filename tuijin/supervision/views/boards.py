"""督办台账: the item board, the boards by lead unit and by 包保 leader, and the .xlsx export.

Thin views over one queryset builder (`board_queryset`): the board page and its export read
the same GET parameters, so a filtered board is a link one can send and its export holds
exactly the rows shown. Every number is an aggregation query: the query count does not grow
with the number of items, units or leaders.
"""

import datetime as dt
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import django_filters
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tuijin.core import jobs
from tuijin.core.xlsx import XLSX_CONTENT_TYPE, SheetWriter
from tuijin.org.access import person_of, visible_units
from tuijin.org.models import Person, Unit
from tuijin.supervision.models import (
    OPEN_STATES,
    ItemState,
    SupervisionItem,
    Verification,
)
from tuijin.supervision.permissions import can_assign
from tuijin.supervision.rules import item_light, light_filter, truthfulness_index

PAGE_SIZE = 50
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
LIGHT_WORDS = {"red": "红", "yellow": "黄", "green": "绿"}


def week_end(today: dt.date) -> dt.date:
    """Sunday of today's week (today itself on a Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def overdue_q(today: dt.date) -> Q:
    return Q(state__in=OPEN, deadline__lt=today)


def due_this_week_q(today: dt.date) -> Q:
    return Q(state__in=OPEN, deadline__gte=today, deadline__lte=week_end(today))


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


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    state = django_filters.ChoiceFilter(
        choices=[("open", _("未办结")), *ItemState.choices], method="in_state", label=_("状态")
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

    FORM_FIELDS = ("q", "state", "light", "unit", "source", "leader")

    class Meta:
        model = SupervisionItem
        fields = []

    def __init__(self, *args, today: dt.date, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        base = self.queryset
        # Offer the units and leaders the user's items involve; any other value is invalid.
        self.filters["unit"].queryset = Unit.objects.filter(
            Q(pk__in=visible_units(user).values("pk")) | Q(pk__in=base.values("lead_unit"))
        )
        self.filters["leader"].queryset = (
            Person.objects.filter(assigned_projects__items__in=base.values("pk"))
            .distinct()
            .order_by("name")
        )

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(requirement__icontains=word))
        return queryset

    def in_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=OPEN)
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


@dataclass
class Board:
    view: str
    filterset: ItemFilter
    before_light: QuerySet  # every filter but the light: the light counts are over this
    queryset: QuerySet  # what the board shows, in order
    today: dt.date


def board_queryset(request, today: dt.date | None = None) -> Board:
    """The board as the user filtered it: the page and the export share this."""
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

    filterset = ItemFilter(request.GET, queryset=base, today=today, user=user)
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
    queryset = queryset.annotate(
        overdue_rank=Case(
            When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", "deadline", "pk")
    return Board(view, filterset, before_light, queryset, today)


def with_row_data(queryset):
    """Everything a board row or an exported row shows, in a constant number of queries."""
    return queryset.select_related(
        "lead_unit", "project", "responsible", "assigner"
    ).prefetch_related("co_units")


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
    result["leaders"] = (
        Person.objects.filter(assigned_projects__items__in=visible.values("pk")).distinct().count()
    )
    return result


def light_counts(queryset, today: dt.date) -> list[tuple[str, str, int]]:
    counts = queryset.order_by().aggregate(
        **{f"n_{key}": Count("pk", filter=light_filter(key, today)) for key in LIGHT_KEYS}
    )
    return [(key, label, counts[f"n_{key}"]) for key, label in LIGHT_CHOICES]


def _context(request, tab: str, today: dt.date) -> dict:
    return {
        "tab": tab,
        "tabs": tab_counts(request.user, today),
        "today": today,
        "can_assign": can_assign(request.user),
    }


HIDDEN_FILTERS = ("lead_unit", "returned", "verified")


def _chips(filterset, query) -> list[tuple[str, str]]:
    """Filters set by the boards' links but absent from the form: label and a link without."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    chips = []
    for name in HIDDEN_FILTERS:
        value = cleaned.get(name)
        if value in (None, False, ""):
            continue
        label = filterset.filters[name].label
        text = f"{label}:{value.name}" if isinstance(value, Unit) else str(label)
        rest = query.copy()
        rest.pop(name, None)
        chips.append((text, rest.urlencode()))
    return chips


@require_GET
def item_board(request):
    board = board_queryset(request)
    page = Paginator(with_row_data(board.queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.light_info = item_light(item, board.today)
    query = request.GET.copy()
    query.pop("page", None)
    light_query = query.copy()
    light_query.pop("light", None)
    context = {
        **_context(request, board.view, board.today),
        "filter": board.filterset,
        "form_fields": [board.filterset.form[name] for name in ItemFilter.FORM_FIELDS],
        "hidden_fields": [
            (name, request.GET[name]) for name in HIDDEN_FILTERS if request.GET.get(name)
        ],
        "chips": _chips(board.filterset, query),
        "view": board.view,
        "page": page,
        "count": page.paginator.count,
        "light_key": request.GET.get("light", ""),
        "light_counts": light_counts(board.before_light, board.today),
        "query": query.urlencode(),
        "light_query": light_query.urlencode(),
    }
    template = "supervision/partials/_item_table.html" if request.htmx else "supervision/board.html"
    return render(request, template, context)


def _unit_rows(visible, today: dt.date) -> list[dict]:
    rows = list(
        visible.order_by()
        .values("lead_unit", "lead_unit__name", "lead_unit__path")
        .annotate(
            open=Count("pk", filter=Q(state__in=OPEN)),
            overdue=Count("pk", filter=overdue_q(today)),
            week=Count("pk", filter=due_this_week_q(today)),
            on_time=Count("pk", filter=light_filter("closed_on_time", today)),
            late=Count("pk", filter=light_filter("closed_late", today)),
            returned=Sum("returned_count"),
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


@require_GET
def unit_board(request):
    """By lead unit: what is open, overdue, due this week, closed, returned; truthfulness."""
    today = timezone.localdate()
    rows = _unit_rows(SupervisionItem.objects.visible_to(request.user), today)
    keys = ["open", "overdue", "week", "on_time", "late", "returned"]
    totals = {key: sum(row[key] or 0 for row in rows) for key in keys}
    all_results = [r for row in rows for r in row["results"]]
    totals["truthfulness"] = truthfulness_index(all_results)
    totals["checks"] = len(all_results)
    return render(
        request,
        "supervision/unit_board.html",
        {**_context(request, "units", today), "rows": rows, "totals": totals},
    )


@require_GET
def leader_board(request):
    """By 包保 leader: open, overdue and due-this-week items on the projects they lead."""
    today = timezone.localdate()
    visible = SupervisionItem.objects.visible_to(request.user)
    items = "assigned_projects__items"

    leaders = list(
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
    return render(
        request,
        "supervision/leader_board.html",
        {**_context(request, "leaders", today), "leaders": leaders},
    )


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------

# (header, width, kind)
EXPORT_COLUMNS = [
    ("事项", 36, "text"),
    ("来源", 10, "text"),
    ("项目", 28, "text"),
    ("牵头单位", 18, "text"),
    ("配合单位", 24, "text"),
    ("责任人", 10, "text"),
    ("交办人", 10, "text"),
    ("交办日期", 12, "date"),
    ("原定期限", 12, "date"),
    ("办理期限", 12, "date"),
    ("状态", 8, "text"),
    ("灯色", 10, "text"),
    ("催办次数", 9, "int"),
    ("退回次数", 9, "int"),
    ("成效标准", 48, "text"),
]
EXPORT_CHUNK = 2000
ITEM_EXPORT_JOB = "supervision.item_export"  # registered in apps.py (tuijin.core.jobs)


def write_items(queryset, file, today: dt.date, progress=None) -> int:
    """Write the items of `queryset` (the board's, already scoped) as .xlsx; returns rows.

    `progress(rows)`, if given, is called after each row (background jobs report it).
    """
    writer = SheetWriter("督办台账", EXPORT_COLUMNS)
    sources = {value: str(label) for value, label in SupervisionItem.Source.choices}
    states = {value: str(label) for value, label in ItemState.choices}
    for item in with_row_data(queryset).iterator(chunk_size=EXPORT_CHUNK):
        light = item_light(item, today)
        writer.append(
            [
                item.title,
                sources.get(item.source, item.source),
                item.project.name if item.project else "",
                item.lead_unit.name,
                "、".join(unit.name for unit in item.co_units.all()),
                item.responsible.name if item.responsible else "",
                item.assigner.name,
                item.assigned_on,
                item.original_deadline,
                item.deadline,
                states.get(item.state, item.state),
                LIGHT_WORDS.get(light.key, light.text),
                item.urge_count,
                item.returned_count,
                item.result_standard,
            ]
        )
        if progress is not None:
            progress(writer.rows)
    return writer.save(file)


@require_GET
def item_export(request):
    """The board exactly as filtered (same GET parameters, all pages), as .xlsx.

    Past ``jobs.EXPORT_INLINE_LIMIT`` rows it becomes a background job with a progress page.
    """
    board = board_queryset(request)
    if board.queryset.count() > jobs.EXPORT_INLINE_LIMIT:
        params = jobs.request_params(
            request, back="supervision:item_board", today=board.today.isoformat()
        )
        job = jobs.start_job(request.user, ITEM_EXPORT_JOB, str(_("导出督办台账")), params)
        return redirect(job)
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    try:
        write_items(board.queryset, out, board.today)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    name = f"督办台账-{board.today:%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def item_export_job(job, report_progress) -> tuple[str, Path]:
    """The export as a background job: the board rebuilt for the job's owner on the saved day."""
    today = dt.date.fromisoformat(job.params["today"])
    board = board_queryset(jobs.job_request(job), today=today)
    total = board.queryset.count()
    report_progress(0, total)
    path = jobs.scratch_file(
        lambda out: write_items(
            board.queryset, out, today, progress=lambda done: report_progress(done, total)
        ),
        suffix=".xlsx",
    )
    return f"督办台账-{today:%Y%m%d}.xlsx", path
