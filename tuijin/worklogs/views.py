"""Work log pages: write (phone first), read and comment, weekend submissions, visits, roster.

Thin views: query parameters are read by forms (worklogs/forms.py), objects load through
``get_for_user`` (``write=True`` for a POST), writes are ``worklogs/services.py`` verbs that
check ``worklogs/permissions.py``; the rules here only choose what to show.
"""

import datetime as dt
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.partials import export_url
from tuijin.core.rules_settings import setting
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.org.access import person_of, sheet_unit, visible_units
from tuijin.org.models import Person, Unit
from tuijin.worklogs import rules, services
from tuijin.worklogs.exports import logs_xlsx, submissions_xlsx, visits_xlsx
from tuijin.worklogs.filters import LogFilter
from tuijin.worklogs.forms import (
    CommentForm,
    ExemptionForm,
    LogForm,
    RosterQuery,
    VisitFormSet,
    VisitsQuery,
    WeekendQuery,
    posted_pk,
)
from tuijin.worklogs.models import Duty, Exemption, Visit, WorkLog
from tuijin.worklogs.permissions import can_comment_on_log, can_manage_roster, can_write_log

PAGE_SIZE = 30
EXPORT_LIMIT = 10_000
COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: a common word matches a fifth of a million logs, and
    counting them all costs seconds while "超过 1000 篇" tells the reader as much
    (bench/README.md).

    ``by_date``: the same rows written to be paged through the date index (``search(…,
    by_date=True)``), used for the page when the count is capped: the term is common, so
    walking the logs newest first finds a page of matches after a few hundred rows, where
    the text index would fetch and sort every match."""

    def __init__(self, object_list, per_page, *, by_date=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.by_date = by_date

    @cached_property
    def count(self) -> int:
        # Unordered: a sliced subquery keeps its ORDER BY, and sorting every match is the cost.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def page(self, number):
        number = self.validate_number(number)  # counts first: is the term common?
        if self.by_date is not None and self.capped:
            self.object_list = self.by_date
        return super().page(number)


def filtered_logs(request):
    queryset = WorkLog.objects.visible_to(request.user).select_related("author", "unit")
    filterset = LogFilter(request.GET, queryset=queryset, request=request)
    return filterset, filterset.qs


@require_GET
def log_list(request):
    filterset, queryset = filtered_logs(request)

    def listed(queryset):
        return queryset.prefetch_related(
            Prefetch("visits", queryset=Visit.objects.select_related("enterprise", "project"))
        ).order_by("-date", "-submitted_at", "-pk")

    by_date = listed(filterset.by_date_qs()) if filterset.has_keyword else None
    paginator = CappedPaginator(listed(queryset), PAGE_SIZE, by_date=by_date)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": page, "count": min(paginator.count, COUNT_CAP)}
    context["capped"] = paginator.capped
    context["query"] = query.urlencode()
    return render(request, "worklogs/list.html", context)


@require_GET
def log_export(request):
    filterset, queryset = filtered_logs(request)
    if queryset.order_by()[: EXPORT_LIMIT + 1].count() > EXPORT_LIMIT:
        messages.error(
            request, _("导出结果超过%(n)s条,请缩小日期范围或增加筛选条件。") % {"n": EXPORT_LIMIT}
        )
        return redirect(reverse("worklogs:log_list") + "?" + request.GET.urlencode())
    out = io.BytesIO()
    cleaned = filterset.form.cleaned_data if filterset.form.is_valid() else {}
    logs_xlsx(queryset, out, unit=sheet_unit(request.user), as_of=cleaned.get("date_to"))
    out.seek(0)
    name = f"工作日志-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def log_create(request):
    # The page is a form for one verb; those who may not do it need not fill it in.
    require(can_write_log(request.user), _("您的角色不能书写工作日志。"))
    form = LogForm(request.POST or None, request.FILES or None)
    visits = VisitFormSet(request.POST or None, prefix="visits", user=request.user)
    if request.method == "POST" and form.is_valid() and visits.is_valid():
        try:
            log = services.write_log(
                request.user,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                visits=[v.to_input() for v in visits.forms if v.has_changed()],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("日志已提交。"))
            return redirect(log.get_absolute_url() + "?saved=1")
    return render(request, "worklogs/form.html", {"form": form, "visits": visits})


@require_GET
def log_detail(request, pk):
    log = get_for_user(
        request.user,
        WorkLog.objects.select_related("author", "unit").prefetch_related(
            Prefetch(
                "visits",
                queryset=Visit.objects.select_related("enterprise", "project", "problem__category"),
            ),
            "photos",
            "comments__author",
        ),
        pk=pk,
    )
    context = {
        "log": log,
        "comment_form": CommentForm() if can_comment_on_log(request.user, log) else None,
    }
    return render(request, "worklogs/detail.html", context)


@require_POST
def log_comment(request, pk):
    log = get_for_user(request.user, WorkLog, write=True, pk=pk)
    # An author may edit their log but not 批阅 it: refuse before reading the form.
    require(can_comment_on_log(request.user, log), _("只有本单位负责人和区领导可以批阅日志。"))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_on_log(request.user, log, form.cleaned_data["text"])
        messages.success(request, _("批阅意见已保存。"))
    else:
        messages.error(request, _("请填写批阅意见。"))
    return redirect(log)


@require_GET
def submissions(request):
    saturday, problem = WeekendQuery(request.GET).shown(timezone.localdate())
    if problem:
        messages.warning(request, problem)
    units = visible_units(request.user)
    tallies = rules.weekend_roster(units, saturday)
    history = [saturday - dt.timedelta(weeks=n) for n in range(7, -1, -1)]
    chart = []
    for day in history:
        # The shown weekend is already counted; UnitTally knows what is owed and submitted.
        weekend = tallies if day == saturday else rules.weekend_roster(units, day)
        owed = sum(t.owed for t in weekend)
        done = sum(t.submitted for t in weekend)
        on_time = sum(t.count(rules.ON_TIME) for t in weekend)
        chart.append(
            {
                "weekend": f"{day:%m-%d}",
                "rate": round(100 * done / owed) if owed else None,
                "on_time": round(100 * on_time / owed) if owed else None,
            }
        )
    context = {
        "saturday": saturday,
        "sunday": saturday + dt.timedelta(days=1),
        "deadline": rules.weekend_deadline(saturday),
        "tallies": tallies,
        "labels": rules.STATUS_LABELS,
        "previous": saturday - dt.timedelta(weeks=1),
        "next": saturday + dt.timedelta(weeks=1),
        "chart": chart,
    }
    return render(request, "worklogs/submissions.html", context)


@require_GET
def submissions_export(request):
    """The weekend's submissions by unit as .xlsx (bounded by the units one sees)."""
    saturday, _problem = WeekendQuery(request.GET).shown(timezone.localdate())
    tallies = rules.weekend_roster(visible_units(request.user), saturday)
    out = io.BytesIO()
    submissions_xlsx(tallies, saturday, out, unit=sheet_unit(request.user))
    out.seek(0)
    name = f"周末日志提交情况-{saturday:%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def filtered_visits(request) -> tuple:
    """The visits page's rows for this user and GET parameters, all pages, in the page's
    order: what the page pages through and what its export writes. Returns (queryset, kind,
    whether only stale records, today, the stale threshold in days)."""
    today = timezone.localdate()
    days = setting("VISIT_STALE_DAYS")
    params = VisitsQuery(request.GET)
    kind = params.value("kind") or "enterprise"
    records = (rules.key_projects if kind == "project" else rules.key_enterprises)(
        request.user, today
    )
    stale_only = bool(params.value("stale"))
    if stale_only:
        records = rules.stale_filter(records, today, days)
    # Never visited first on every database (PostgreSQL puts NULLs last in ascending order).
    order = (F("last_duty_visit_on").asc(nulls_first=True), "name")
    return records.order_by(*order), kind, stale_only, today, days


@require_GET
def visits(request):
    records, kind, stale_only, today, days = filtered_visits(request)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    for record in page:
        record.stale = rules.is_stale(record.last_duty_visit_on, today, days)
        record.days_since = rules.days_since(record.last_duty_visit_on, today)
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    context = {
        "page": page,
        "count": page.paginator.count,
        "kind": kind,
        "days": days,
        "stale_only": stale_only,
        "query": encoded,
        "export_url": export_url(request, "worklogs:visits_export"),
        "today": today,
    }
    return render(request, "worklogs/visits.html", context)


@require_GET
def visits_export(request):
    """The visits page exactly as filtered (same GET parameters, all pages), as .xlsx."""
    records, kind, _stale_only, today, days = filtered_visits(request)
    out = io.BytesIO()
    visits_xlsx(records, kind, today, days, out, unit=sheet_unit(request.user))
    out.seek(0)
    title = "重点项目走访情况" if kind == "project" else "重点企业走访情况"
    name = f"{title}-{today:%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@require_GET
def roster(request):
    units = visible_units(request.user)
    unit = units.filter(pk=RosterQuery(request.GET).unit_pk() or 0).first() or (
        person_of(request.user).unit if person_of(request.user) else None
    )
    if unit is None or not units.filter(pk=unit.pk).exists():
        unit = units.first()
    people = Person.objects.filter(unit=unit, is_active=True).select_related("log_duty")
    today = timezone.localdate()
    context = {
        "units": units,
        "unit": unit,
        "people": people,
        "exemptions": Exemption.objects.filter(person__unit=unit, end__gte=today).select_related(
            "person"
        ),
        "form": ExemptionForm(people=people),
        "can_manage": can_manage_roster(request.user),
    }
    return render(request, "worklogs/roster.html", context)


def _roster_person(request) -> Person:
    return get_for_user(request.user, Person, pk=posted_pk(request.POST, "person"))


@require_POST
def roster_add(request):
    person = _roster_person(request)
    services.add_to_roster(request.user, person, since=timezone.localdate())
    messages.success(request, _("%(name)s已列入周末日志名单。") % {"name": person.name})
    return redirect(Duty(person=person).get_absolute_url())


@require_POST
def roster_remove(request):
    duty = get_for_user(request.user, Duty, write=True, person=_roster_person(request))
    services.remove_from_roster(request.user, duty)
    messages.success(request, _("%(name)s已移出周末日志名单。") % {"name": duty.person.name})
    return redirect(duty.get_absolute_url())


@require_POST
def exemption_add(request):
    unit = get_for_user(request.user, Unit, pk=posted_pk(request.POST, "unit"))
    people = Person.objects.filter(unit=unit, is_active=True)
    form = ExemptionForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        services.grant_exemption(
            request.user,
            data["person"],
            reason=data["reason"],
            start=data["start"],
            end=data["end"],
            note=data["note"],
        )
        messages.success(request, _("已登记请假/免报。"))
    else:
        errors = ";".join(
            f"{form.fields[f].label if f in form.fields else ''}{e}"
            for f, es in form.errors.items()
            for e in es
        )
        messages.error(request, _("未保存:%(errors)s") % {"errors": errors})
    return redirect(reverse("worklogs:roster") + f"?unit={unit.pk}")


@require_POST
def exemption_delete(request, pk):
    exemption = get_for_user(request.user, Exemption, write=True, pk=pk)
    services.revoke_exemption(request.user, exemption)
    messages.success(request, _("已撤销。"))
    return redirect(exemption.get_absolute_url())
