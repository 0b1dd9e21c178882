"""Enterprise request pages. Thin: requests load through ``get_for_user`` (404 outside the
user's scope), every verb's rule is asked before its form is read (403), writes are
``services`` verbs; a refusal comes back as a Chinese message with the input kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.partials import export_url
from tuijin.core.versions import Conflict, show_conflict
from tuijin.core.xlsx import xlsx_download
from tuijin.enterprise_requests import permissions, services
from tuijin.enterprise_requests.exports import write_requests
from tuijin.enterprise_requests.forms import (
    ListQuery,
    RaiseForm,
    VersionedActionForm,
    action_form,
)
from tuijin.enterprise_requests.models import OPEN_STATES, EnterpriseRequest, State
from tuijin.org.access import person_of, sheet_unit
from tuijin.org.models import Role

PAGE_SIZE = 50


def filtered_requests(request) -> tuple:
    """The request list's rows for this user and GET parameters, all pages: what the list
    pages through and what its export writes. Returns (queryset, the parsed filters, today)."""
    query = ListQuery(request.GET or None, user=request.user)
    requests = EnterpriseRequest.objects.visible_to(request.user).select_related(
        "enterprise", "unit", "project"
    )
    today = timezone.localdate()
    if query.is_bound and query.is_valid():
        data = query.cleaned_data
        if data["state"] == "open":
            requests = requests.filter(state__in=OPEN_STATES)
        elif data["state"]:
            requests = requests.filter(state=data["state"])
        if data["category"]:
            requests = requests.filter(category=data["category"])
        if data["unit"]:
            requests = requests.filter(unit=data["unit"])
        if data["overdue"]:
            running = (State.SUBMITTED, State.ASSIGNED, State.HANDLING)
            requests = requests.filter(state__in=running).filter(
                Q(accept_due__lt=today, state__in=(State.SUBMITTED, State.ASSIGNED))
                | Q(answer_due__lt=today)
                | Q(resolve_due__lt=today)
            )
        if data["q"]:
            requests = requests.filter(
                Q(description__contains=data["q"]) | Q(enterprise__name__contains=data["q"])
            )
    return requests, query, today


@require_GET
def request_list(request):
    requests, query, today = filtered_requests(request)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))  # bad page: first
    for row in page:
        row.missed = row.overdue_clocks(today)
    person = person_of(request.user)
    context = {
        "query": query,
        "page": page,
        "count": page.paginator.count,
        "export_url": export_url(request, "enterprise_requests:request_export"),
        "can_raise": permissions.can_raise(request.user),
        "is_liaison": person is not None and person.role == Role.LIAISON,
    }
    return render(request, "enterprise_requests/list.html", context)


@require_GET
def request_export(request):
    """The list exactly as filtered (same GET parameters, all pages), as .xlsx."""
    requests, _query, today = filtered_requests(request)
    name = f"企业诉求-{today:%Y%m%d}.xlsx"
    return xlsx_download(
        lambda file: write_requests(requests, file, today, unit=sheet_unit(request.user)), name
    )


@require_http_methods(["GET", "POST"])
def request_create(request):
    require(permissions.can_raise(request.user), _("只有企业联络人可以提出诉求。"))
    form = RaiseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.raise_request(
                request.user,
                enterprise=data["enterprise"],
                category=data["category"],
                description=data["description"],
                project=data["project"],
                photos=data["photos"] or [],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("诉求已提交,将在1个工作日内受理。"))
            return redirect(created)
    return render(request, "enterprise_requests/create.html", {"form": form})


def _load(request, pk):
    queryset = EnterpriseRequest.objects.select_related(
        "enterprise", "unit", "project", "raised_by", "assigned_by", "escalated_item"
    )
    return get_for_user(request.user, queryset, pk=pk)


@require_GET
def request_detail(request, pk):
    return _detail(request, _load(request, pk))


def _detail(request, record, bound=None, status=200):
    """The request's page; ``bound``: a verb's form posted and refused (its input kept)."""
    user = request.user
    forms = {
        verb: action_form(verb, user=user, version=record.version)
        for verb, rule in permissions.RULES.items()
        if rule(user, record)
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    context = {
        "req": record,
        "clocks": record.clocks(timezone.localdate()),
        "photos": list(record.photos.all()),
        "steps": list(record.steps.select_related("actor__unit")),
        "forms": forms,
    }
    return render(request, "enterprise_requests/detail.html", context, status=status)


@require_POST
def request_action(request, pk, verb):
    if verb not in services.VERBS:
        raise Http404
    record = _load(request, pk)
    form = action_form(verb, request.POST, user=request.user)
    if not permissions.RULES[verb](request.user, record):
        seen = VersionedActionForm(request.POST, prefix=verb)
        if seen.is_valid() and seen.cleaned_data["version"] != record.version:
            # A page loaded before someone else acted: say so rather than "not allowed".
            stale = Conflict(_("该诉求刚刚已被他人办理,您的操作未执行。请查看最新情况。"))
            show_conflict(form, Conflict(str(stale), record.version, record.pk))
            return _detail(request, record, (verb, form), status=409)
        raise PermissionDenied(_("您不能对该诉求执行此操作。"))
    if not form.is_valid():
        return _detail(request, record, (verb, form), status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        services.VERBS[verb](request.user, record.pk, version, **_arguments(verb, data))
    except Conflict as conflict:
        show_conflict(form, conflict)
        return _detail(request, _load(request, pk), (verb, form), status=409)
    except ValidationError as error:
        show_service_errors(form, error)
        return _detail(request, record, (verb, form), status=400)
    messages.success(request, _("已保存。"))
    return redirect(record)


def _arguments(verb: str, data: dict) -> dict:
    """The service's keyword arguments from a verb form's cleaned data."""
    if verb in ("answer", "complex", "reopen"):
        return {"text" if verb == "answer" else "reason": data["text"]}
    if verb == "withdraw":
        return {"reason": data["text"], "on_suggestion": data["on_suggestion"]}
    return data


@require_GET
def unit_rates(request):
    """各单位诉求办理情况: resolution and satisfaction rates per handling unit."""
    person = person_of(request.user)
    if person is not None and person.role in (Role.LIAISON, Role.INSPECTOR):
        raise PermissionDenied(_("企业诉求办理情况仅向承办单位、督查室和领导公开。"))
    rows = services.unit_rates(EnterpriseRequest.objects.visible_to(request.user))
    return render(request, "enterprise_requests/units.html", {"rows": rows})
