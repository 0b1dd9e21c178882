"""Factor balance sheet and 亩均 pages. Thin: parameters parsed by forms, records loaded through
``get_for_user`` (404 outside the user's scope, 403 for who sees but may not act), writes are
``services`` verbs; a refusal comes back as a Chinese message with the input kept."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.pending import PendingUpload
from tuijin.core.uploads import SPREADSHEET, check_upload
from tuijin.core.versions import Conflict, show_conflict
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.factors import exports, imports, queries, services
from tuijin.factors.access import factor_access, factor_parks, sees_factors
from tuijin.factors.forms import (
    CommitForm,
    EscalateForm,
    EvaluationOpenForm,
    FlagForm,
    FreeForm,
    NeedForm,
    ParkField,
    ReleaseForm,
    ReserveForm,
    RulesForm,
    SheetFilter,
    SupplyEditForm,
    SupplyForm,
    WeightsForm,
)
from tuijin.factors.models import (
    UNIT,
    Allocation,
    EnterpriseResult,
    Evaluation,
    FactorNeed,
    LandFlag,
    SupplyEntry,
)
from tuijin.factors.permissions import (
    can_escalate,
    can_manage_park,
    can_manage_zone,
    escalates_any,
    evaluable_enterprises,
    manages_any_park,
)
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Enterprise, Project
from tuijin.supervision.services import ItemError

IMPORT_SESSION_KEY = "factors_mujun_import"


def _errors(error: ValidationError) -> str:
    """A refusal as one flashed line (on a form it is ``show_service_errors``)."""
    return " ".join(error.messages)


def _require_sees(user) -> None:
    require(sees_factors(user), "要素保障由区领导、招商、发改、自然资源部门和各园区查看。")


def _zone_of(user):
    acc = factor_access(user)
    if acc.zones:
        return Unit.objects.get(pk=acc.zones[0])
    return Unit.objects.filter(kind=UnitKind.ZONE).order_by("depth", "path").first()


# --- the sheet --------------------------------------------------------------------------------


@require_GET
def sheet(request):
    _require_sees(request.user)
    year = SheetFilter(request.GET).year_or_now()
    data = queries.balance_sheet(request.user, year)
    _escalated(data.stalled)
    parks = []
    for park in data.parks:
        parks.append({"park": park, "rows": data.rows_of(park.pk)})
    context = {
        "sheet": data,
        "year": year,
        "parks": parks,
        "stalled": data.stalled,
        "escalate_parks": {p.pk for p in data.parks if can_escalate(request.user, p.pk)},
        "chart": {str(p.pk): data.chart(p.pk) for p in data.parks},
        "can_manage_zone": can_manage_zone(request.user),
        "units": {str(f): str(u) for f, u in UNIT.items()},
    }
    return render(request, "factors/sheet.html", context)


def _escalated(demands) -> None:
    """Each stalled demand's open problems already raised for its factors (``escalated``:
    factor → problem), in one query."""
    from tuijin.factors.models import PROBLEM_CATEGORY
    from tuijin.supervision.models import Problem

    by_name = {name: factor for factor, name in PROBLEM_CATEGORY.items()}
    ids = [d.project.pk for d in demands if d.project is not None]
    found = {}
    if ids:
        for p in Problem.objects.filter(
            project__in=ids,
            category__name__in=list(by_name),
            status__in=[Problem.Status.OPEN, Problem.Status.COORDINATING],
        ).select_related("category"):
            found[(p.project_id, str(by_name[p.category.name]))] = p
    for d in demands:
        d.escalated = {
            str(f): found.get((d.project.pk, str(f))) if d.project else None for f in d.blocks
        }


@require_GET
def sheet_xlsx(request):
    _require_sees(request.user)
    year = SheetFilter(request.GET).year_or_now()
    data = queries.balance_sheet(request.user, year)
    out = io.BytesIO()
    exports.write_sheet(out, data, request.user)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"要素平衡表-{year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _park(request, pk) -> Unit:
    park = Unit.objects.filter(pk=pk, kind=UnitKind.PARK).first()
    if park is None or park not in factor_parks(request.user):
        raise Http404
    return park


def _park_page(request, park, year, status=200, **forms):
    data = queries.balance_sheet(request.user, year, park_ids=[park.pk])
    demands = data.demands_of(park.pk)
    _escalated([d for d in demands if d.blocks])
    manage = can_manage_park(request.user, park.pk)
    enterprises = Enterprise.objects.visible_to(request.user).filter(park=park)
    context = {
        "park": park,
        "year": year,
        "sheet": data,
        "rows": data.rows_of(park.pk),
        "demands": demands,
        "stalled": [d for d in demands if d.blocks],
        "chart": data.chart(park.pk),
        "supply": SupplyEntry.objects.filter(park=park, year=year).select_related("entered_by"),
        "allocations": Allocation.objects.filter(park=park, year=year).select_related(
            "created_by", "project"
        ),
        "flags": LandFlag.objects.filter(park=park).select_related("enterprise", "supply"),
        "needs": FactorNeed.objects.filter(project__park=park).select_related("project"),
        "editable_projects": set(
            Project.objects.visible_to(request.user).filter(park=park).values_list("pk", flat=True)
        ),
        "projects_without_need": Project.objects.visible_to(request.user)
        .filter(park=park, factor_need__isnull=True)
        .exclude(stage__in=["operating", "completed"])
        .order_by("code")[:50],
        "manage": manage,
        "can_escalate": can_escalate(request.user, park.pk),
        "supply_form": forms.get("supply_form") or SupplyForm(initial={"year": year}),
        "reserve_form": forms.get("reserve_form")
        or ReserveForm(initial={"year": year}, subjects=demands),
        "flag_form": forms.get("flag_form")
        or FlagForm(initial={"year": year}, enterprises=enterprises),
        "units": {str(f): str(u) for f, u in UNIT.items()},
    }
    return render(request, "factors/park.html", context, status=status)


@require_GET
def park_detail(request, pk):
    _require_sees(request.user)
    park = _park(request, pk)
    year = SheetFilter(request.GET).year_or_now()
    return _park_page(request, park, year)


def _posted_park(request) -> Unit | None:
    """The park a form posts (its ``park`` field): 404 outside the user's parks; None when
    missing or not a number."""
    field = ParkField()
    try:
        pk = field.clean(request.POST.get("park"))
    except ValidationError:
        return None
    return _park(request, pk)


def _managed_park(request) -> Unit | None:
    require(manages_any_park(request.user), "您无权调配园区的要素。")
    park = _posted_park(request)
    if park is not None:
        require(can_manage_park(request.user, park.pk), "您无权调配该园区的要素。")
    return park


def _no_park(request):
    messages.error(request, "请选择园区。")
    return redirect("factors:sheet")


def _back(park, year, anchor=""):
    return redirect(reverse("factors:park", args=[park.pk]) + f"?year={year}{anchor}")


@require_POST
def supply_add(request):
    park = _managed_park(request)
    if park is None:
        return _no_park(request)
    form = SupplyForm(request.POST)
    if form.is_valid():
        try:
            services.add_supply(request.user, park=park, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "已录入要素供给。")
            return _back(park, form.cleaned_data["year"], "#supply")
    year = form.cleaned_data.get("year") or SheetFilter(request.GET).year_or_now()
    return _park_page(request, park, year, status=400, supply_form=form)


@require_http_methods(["GET", "POST"])
def supply_edit(request, pk):
    entry = get_for_user(request.user, SupplyEntry, write=True, pk=pk)
    form = SupplyEditForm(request.POST or None, instance=entry)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in form._meta.fields}
            try:
                services.update_supply(request.user, pk, form.seen_version(), **values)
            except Conflict as conflict:
                show_conflict(form, conflict)
                status = 409
            except ValidationError as error:
                show_service_errors(form, error)
                status = 400
            else:
                messages.success(request, "已修改要素供给。")
                return _back(entry.park, values["year"], "#supply")
        else:
            status = 400
    return render(
        request, "factors/supply_edit.html", {"form": form, "entry": entry}, status=status
    )


@require_POST
def reserve(request):
    park = _managed_park(request)
    if park is None:
        return _no_park(request)
    year = SheetFilter(request.POST).year_or_now()
    demands = queries.balance_sheet(request.user, year, park_ids=[park.pk]).demands_of(park.pk)
    form = ReserveForm(request.POST, subjects=demands)
    if form.is_valid():
        data = form.cleaned_data
        subject = data["subject"]
        try:
            services.reserve(
                request.user,
                park=park,
                year=data["year"],
                factor=data["factor"],
                quantity=data["quantity"],
                project=subject.project if subject.kind == "project" else None,
                lead=subject.lead,
                note=data["note"],
            )
        except ValidationError as error:
            show_service_errors(form, error, field="quantity")
        else:
            messages.success(request, "已预留指标。")
            return _back(park, data["year"], "#allocations")
    return _park_page(request, park, year, status=400, reserve_form=form)


@require_POST
def allocation_action(request, pk, verb):
    allocation = get_for_user(request.user, Allocation, write=True, pk=pk)
    form = (CommitForm if verb == "commit" else ReleaseForm)(request.POST)
    if verb not in ("commit", "release"):
        raise Http404
    if not form.is_valid():
        messages.error(request, "请填写“批准文件”。" if verb == "commit" else "请重新提交。")
        return _back(allocation.park, allocation.year, "#allocations")
    version = form.cleaned_data["version"]
    try:
        if verb == "commit":
            services.commit(request.user, pk, version, form.cleaned_data["document"])
        else:
            services.release(request.user, pk, version, form.cleaned_data["note"])
    except (ValidationError, Conflict) as error:
        messages.error(
            request, _errors(error) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, "已占用。" if verb == "commit" else "已释放,指标回到园区。")
    return _back(allocation.park, allocation.year, "#allocations")


@require_POST
def escalate(request):
    require(escalates_any(request.user), "您无权将要素缺口提交会议研究。")
    park = _posted_park(request)
    if park is None:
        return _no_park(request)
    require(can_escalate(request.user, park.pk), "您无权将该园区的要素缺口提交会议研究。")
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提交的缺口无效,请刷新后重试。")
        return redirect("factors:sheet")
    data = form.cleaned_data
    sheet_data = queries.balance_sheet(request.user, data["year"], park_ids=[park.pk])
    demand = next((d for d in sheet_data.demands_of(park.pk) if d.key == data["subject"]), None)
    if demand is None:
        raise Http404
    try:
        problem = services.escalate_gap(
            request.user, park=park, factor=data["factor"], year=data["year"], demand=demand
        )
    except (ValidationError, ItemError, PermissionDenied) as error:
        # PermissionDenied: entering a lead in the ledger is for ledger editors (the 督查室
        # escalates projects already there).
        text = _errors(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(reverse("factors:sheet") + f"?year={data['year']}")
    meeting = _next_onsite(park)
    text = f"已提交会议研究:{problem.description}"
    if meeting:
        text += f" 将列入“{meeting.title}”的议程。"
    messages.success(request, text)
    return redirect(problem)


def _next_onsite(park):
    from django.db.models import Q
    from django.utils import timezone

    from tuijin.meetings.models import Meeting, MeetingKind

    return (
        Meeting.objects.filter(kind=MeetingKind.ONSITE, starts_at__gte=timezone.now())
        .filter(Q(park=park) | Q(park__isnull=True))
        .order_by("starts_at")
        .first()
    )


@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    project = get_for_user(request.user, Project, pk=pk)
    _require_sees(request.user)
    if (
        project.park_id not in factor_access(request.user).parks
        and not factor_access(request.user).everything
    ):
        raise Http404
    require(can_manage_park(request.user, project.park_id), "您无权填报该项目的要素需求。")
    need = FactorNeed.objects.filter(project=project).first() or FactorNeed(project=project)
    if request.method == "GET":
        form = NeedForm(instance=need, initial={"expected_start": project.planned_start})
    else:
        form = NeedForm(request.POST, instance=need)
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in form._meta.fields}
            try:
                services.set_need(request.user, project, form.seen_version(), **values)
            except Conflict as conflict:
                show_conflict(form, conflict)
                return render(
                    request, "factors/need.html", {"form": form, "project": project}, status=409
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "已保存项目的要素需求。")
                return redirect(reverse("factors:park", args=[project.park_id]) + "#needs")
    return render(request, "factors/need.html", {"form": form, "project": project})


@require_POST
def flag_add(request):
    park = _managed_park(request)
    if park is None:
        return _no_park(request)
    enterprises = Enterprise.objects.visible_to(request.user).filter(park=park)
    form = FlagForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        try:
            services.flag_land(request.user, park=park, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "已认定低效用地。")
            return _back(park, form.cleaned_data["year"], "#flags")
    year = SheetFilter(request.GET).year_or_now()
    return _park_page(request, park, year, status=400, flag_form=form)


@require_POST
def flag_free(request, pk):
    flag = get_for_user(request.user, LandFlag, write=True, pk=pk)
    form = FreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写“盘活文件”。")
        return _back(flag.park, flag.year, "#flags")
    data = form.cleaned_data
    try:
        services.free_land(
            request.user,
            pk,
            data["version"],
            year=data["year"],
            document_title=data["document_title"],
            document_number=data["document_number"],
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"已盘活 {flag.area_mu} 亩,计入{data['year']}年土地供给。")
    return _back(flag.park, data["year"], "#flags")


# --- rules ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rules(request):
    _require_sees(request.user)
    zone = _zone_of(request.user)
    current = services.rules_for(zone)
    can_edit = can_manage_zone(request.user)
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST":
        require(can_edit, "只有区领导和招商、发改、自然资源部门可以修改要素保障规则。")
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in form._meta.fields}
            try:
                services.save_rules(request.user, zone, form.seen_version(), **values)
            except Conflict as conflict:
                show_conflict(form, conflict)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "已保存要素保障规则。")
                return redirect("factors:rules")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "can_edit": can_edit, "rules": current}
    return render(request, "factors/rules.html", context, status=status)


# --- 亩均 -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def evaluations(request):
    _require_sees(request.user)
    form = EvaluationOpenForm(request.POST or None)
    if request.method == "POST":
        require(
            can_manage_zone(request.user), "只有区领导和招商、发改、自然资源部门可以组织亩均评价。"
        )
        if form.is_valid():
            try:
                evaluation = services.open_evaluation(
                    request.user, _zone_of(request.user), form.cleaned_data["year"]
                )
            except ValidationError as error:
                show_service_errors(form, error, field="year")
            else:
                return redirect(evaluation)
    context = {
        "evaluations": Evaluation.objects.visible_to(request.user),
        "form": form,
        "manage": can_manage_zone(request.user),
    }
    return render(request, "factors/evaluations.html", context, status=400 if form.errors else 200)


def _results(request, evaluation):
    return (
        EnterpriseResult.objects.visible_to(request.user)
        .filter(evaluation=evaluation)
        .select_related("enterprise", "park")
        .order_by(F("rank").asc(nulls_last=True), "-score", "enterprise__name")
    )


@require_http_methods(["GET", "POST"])
def evaluation_detail(request, pk):
    evaluation = get_for_user(request.user, Evaluation, pk=pk)
    manage = can_manage_zone(request.user)
    form = WeightsForm(request.POST or None, instance=evaluation)
    if request.method == "POST":
        require(manage, "只有区领导和招商、发改、自然资源部门可以调整亩均评价权重。")
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in form._meta.fields}
            try:
                services.set_weights(request.user, pk, form.seen_version(), **values)
            except Conflict as conflict:
                show_conflict(form, conflict)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "已调整权重并重新计算。")
                return redirect(evaluation)
    results = list(_results(request, evaluation))
    counts = {k: sum(1 for r in results if r.klass == k) for k in "ABCD"}
    context = {
        "evaluation": evaluation,
        "results": results,
        "counts": counts,
        "exempt": sum(1 for r in results if r.exemption),
        "form": form,
        "manage": manage,
        "flags": LandFlag.objects.visible_to(request.user)
        .filter(year=evaluation.year)
        .select_related("enterprise", "park"),
    }
    return render(request, "factors/evaluation.html", context, status=400 if form.errors else 200)


@require_GET
def evaluation_xlsx(request, pk):
    evaluation = get_for_user(request.user, Evaluation, pk=pk)
    out = io.BytesIO()
    exports.write_results(out, evaluation, _results(request, evaluation), request.user)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"亩均评价-{evaluation.year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _importable(user):
    return list(evaluable_enterprises(user).select_related("park").order_by("name"))


@require_GET
def import_template(request, pk):
    evaluation = get_for_user(request.user, Evaluation, pk=pk)
    require(can_manage_zone(request.user), "只有区领导和招商、发改、自然资源部门可以导入亩均数据。")
    data = imports.write_template(_importable(request.user))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"亩均数据导入模板-{evaluation.year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _import_page(request, evaluation, plan=None, token=None, errors=(), status=200):
    context = {
        "evaluation": evaluation,
        "plan": plan,
        "token": token,
        "errors": list(errors),
        "headers": imports.HEADERS,
    }
    return render(request, "factors/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    """GET: the upload form. POST: check every cell and show the preview (nothing saved)."""
    evaluation = get_for_user(request.user, Evaluation, write=True, pk=pk)
    require(can_manage_zone(request.user), "只有区领导和招商、发改、自然资源部门可以导入亩均数据。")
    if request.method == "GET":
        return _import_page(request, evaluation)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, evaluation, errors=["请选择 .xlsx 文件。"], status=400)
    try:
        upload = check_upload(upload, SPREADSHEET)
    except ValidationError as error:
        return _import_page(request, evaluation, errors=error.messages, status=400)
    plan = imports.parse_results(upload, upload.name, _importable(request.user))
    if plan.errors:
        return _import_page(request, evaluation, errors=plan.errors, status=400)
    token = PendingUpload(request, IMPORT_SESSION_KEY).keep(upload, prefix="mujun-")
    return _import_page(request, evaluation, plan=plan, token=token)


@require_POST
def import_confirm(request, pk):
    evaluation = get_for_user(request.user, Evaluation, write=True, pk=pk)
    require(can_manage_zone(request.user), "只有区领导和招商、发改、自然资源部门可以导入亩均数据。")
    pending = PendingUpload(request, IMPORT_SESSION_KEY)
    stored = pending.open(request.POST.get("token"))
    if stored is None:
        messages.error(request, "导入预览已失效,请重新上传文件。")
        return redirect("factors:import_upload", pk=pk)
    with stored:
        plan = imports.parse_results(stored, "upload.xlsx", _importable(request.user))
    if plan.errors:
        return _import_page(request, evaluation, errors=plan.errors, status=400)
    try:
        count = services.import_results(request.user, evaluation, plan.rows)
    except (ValidationError, PermissionDenied) as error:
        message = "导入失败,没有保存任何数据:" + " ".join(getattr(error, "messages", [str(error)]))
        return _import_page(request, evaluation, errors=[message], status=400)
    finally:
        pending.discard()
    messages.success(request, f"导入完成:{count} 家企业的亩均数据已保存并重新计算。")
    return redirect(evaluation)
