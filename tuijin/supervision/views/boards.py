"""督办台账: the item board, the boards by lead unit and by 包保 leader, and the .xlsx export.

Thin views: the filters and the one queryset builder are in ``filters.py``, the numbers in
``queries.py``, the .xlsx writer and its background job in ``exports.py``.
"""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from tuijin.core import jobs
from tuijin.core.access import require
from tuijin.core.partials import export_url, render_list, wants_table
from tuijin.core.xlsx import xlsx_download
from tuijin.org.access import sheet_unit
from tuijin.org.models import Unit
from tuijin.projects.models import Project
from tuijin.supervision import services
from tuijin.supervision.exports import ITEM_EXPORT_JOB, write_items
from tuijin.supervision.filters import ItemFilter, board_queryset, with_row_data
from tuijin.supervision.forms import UrgeItemsForm
from tuijin.supervision.models import SupervisionItem
from tuijin.supervision.permissions import can_assign_items
from tuijin.supervision.queries import leader_rows, light_counts, tab_counts, unit_rows
from tuijin.supervision.rules import item_light, truthfulness_index
from tuijin.supervision.workdays import mark_unannounced
from tuijin.supervision.workflow import TRANSITIONS

PAGE_SIZE = 50


def _context(request, tab: str, today: dt.date) -> dict:
    return {
        "tab": tab,
        "tabs": tab_counts(request.user, today),
        "today": today,
        "can_assign": can_assign_items(request.user),
    }


HIDDEN_FILTERS = ("lead_unit", "returned", "verified", "extension", "scheduled")


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
    table_only = wants_table(request)
    board = board_queryset(request, options=not table_only)
    if not board.filterset.is_valid() and not table_only:  # the whole page says it
        messages.warning(request, gettext("筛选条件无法识别,请重新选择。"))
    page = Paginator(with_row_data(board.queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    can_urge = can_assign_items(request.user)
    urgeable = TRANSITIONS["urge"][0]
    # One query for the page: which of its projects the reader may open (else no link).
    projects = {item.project_id for item in page if item.project_id}
    visible_projects = (
        set(
            Project.objects.visible_to(request.user)
            .filter(pk__in=projects)
            .values_list("pk", flat=True)
        )
        if projects
        else set()
    )
    for item in page:
        item.light_info = item_light(item, board.today)
        item.project_visible = item.project_id in visible_projects
        item.urgeable = can_urge and item.state in urgeable
    mark_unannounced(page)
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    light_query = query.copy()
    light_query.pop("light", None)
    context = {
        # The tabs' counts are above the table: not counted for the table alone.
        **({} if table_only else _context(request, board.view, board.today)),
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
        "query": encoded,
        "export_url": export_url(request, "supervision:item_export"),
        "light_query": light_query.urlencode(),
        "can_urge": can_urge,
        "any_urgeable": any(item.urgeable for item in page),
    }
    return render_list(
        request,
        "supervision/board.html",
        "supervision/partials/_item_table.html",
        context,
        valid=board.filterset.is_valid(),
    )


@require_POST
def item_urge(request):
    """催办所选: urge the ticked items in one POST, each checked as if urged alone; back to
    the board as it was filtered, with how many were urged and which were skipped, and why."""
    require(can_assign_items(request.user), gettext("只有区领导和督查人员可以催办。"))
    form = UrgeItemsForm(request.POST)
    back = reverse("supervision:item_board")
    if not form.is_valid():
        messages.warning(request, gettext("所选事项无法识别,请重新勾选。"))
        return redirect(back)
    data = form.cleaned_data
    if rest := QueryDict(data["back"]).urlencode():  # re-encoded: only the board's parameters
        back += f"?{rest}"
    ids = data["items"]
    if not ids:
        messages.warning(request, gettext("请先勾选要催办的事项。"))
        return redirect(back)
    urged, skipped = services.urge_items(request.user, ids, data["note"].strip())
    if urged:
        messages.success(request, gettext("已催办%(n)s项。") % {"n": len(urged)})
    if skipped:
        reasons = ";".join(f"“{item.title}”:{reason}" for item, reason in skipped)
        text = gettext("%(n)s项未催办:%(reasons)s") % {"n": len(skipped), "reasons": reasons}
        messages.warning(request, text)
    if unseen := len(set(ids)) - len(urged) - len(skipped):
        messages.warning(request, gettext("另有%(n)s项不在您的范围内,未催办。") % {"n": unseen})
    return redirect(back)


@require_GET
def unit_board(request):
    """By lead unit: what is open, overdue, due this week, closed, returned; truthfulness."""
    today = timezone.localdate()
    rows = unit_rows(SupervisionItem.objects.visible_to(request.user), today)
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
    leaders = leader_rows(SupervisionItem.objects.visible_to(request.user), today)
    return render(
        request,
        "supervision/leader_board.html",
        {**_context(request, "leaders", today), "leaders": leaders},
    )


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
    name = f"督办台账-{board.today:%Y%m%d}.xlsx"
    return xlsx_download(
        lambda file: write_items(board.queryset, file, board.today, unit=sheet_unit(request.user)),
        name,
    )
