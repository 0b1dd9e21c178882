"""Rural linkage pages. Thin: objects load through ``get_for_user`` (404 outside the user's
scope, 403 for who sees but may not write); writes are ``services`` verbs; refusals come back
as a Chinese message with the input kept."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tuijin.core.access import get_for_user, require
from tuijin.core.forms import show_service_errors
from tuijin.core.versions import Conflict, show_conflict
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.rural import exports, figures, reports, services
from tuijin.rural.forms import (
    AgreementForm,
    CompanyForm,
    DeliveryForm,
    HouseholdForm,
    IncomeForm,
    ParkForm,
    PayForm,
    PaymentForm,
    ReportFilter,
    ShareForm,
    ShareholderForm,
    TenantForm,
)
from tuijin.rural.models import (
    Agreement,
    Company,
    EnclavePark,
    EnclaveShare,
    EnclaveTenant,
    Household,
    Payment,
    Shareholder,
    VillageIncome,
)
from tuijin.rural.permissions import can_edit, can_record

NO_RIGHT = gettext_lazy("只有乡镇、村(社区)工作人员和区领导可以录入联农信息。")


def _save(form, call):
    """Run a service with the form's data; its ValidationError lands on the form, a stale
    version marks the form (``conflict``: the page answers 409 with the input kept)."""
    try:
        return call()
    except ValidationError as error:
        show_service_errors(form, error)
    except Conflict as conflict:
        show_conflict(form, conflict)
        form.conflict = True
    return None


@require_GET
def index(request):
    """The overview: companies, enclave parks, agreements with their gain per 亩, villages'
    income this year against the tiers."""
    user, today = request.user, timezone.localdate()
    companies = list(
        Company.objects.visible_to(user)
        .select_related("unit", "park")
        .annotate(n_agreements=Count("agreements", distinct=True))
        .prefetch_related("partners")
    )
    parks = list(
        EnclavePark.objects.visible_to(user)
        .select_related("unit")
        .annotate(n_tenants=Count("tenants"))
    )
    agreements = list(
        Agreement.objects.visible_to(user).select_related("unit", "enterprise", "company")
    )
    numbers = figures.figures_for(agreements, today)
    for agreement in agreements:
        agreement.figures = numbers[agreement.pk]
    context = {
        "companies": companies,
        "parks": parks,
        "agreements": agreements,
        "late": sum(a.figures.late_count for a in agreements),
        "can_record": can_record(user),
    }
    return render(request, "rural/index.html", context)


def _form_page(request, form, template, title, done, parent=None):
    if request.method == "POST" and form.is_valid():
        record = _save(form, lambda: done(form.cleaned_data))
        if record is not None:
            messages.success(request, _("已保存。"))
            return redirect(record)
    status = 409 if getattr(form, "conflict", False) else 200
    context = {"form": form, "title": title, "parent": parent}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def company_create(request):
    require(can_record(request.user), str(NO_RIGHT))
    form = CompanyForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        "rural/form.html",
        _("成立村级公司"),
        lambda data: services.create_company(request.user, **data),
    )


@require_GET
def company_detail(request, pk):
    company = get_for_user(request.user, Company.objects.select_related("unit", "park"), pk=pk)
    agreements = list(company.agreements.select_related("enterprise"))
    numbers = figures.figures_for(agreements, timezone.localdate())
    for agreement in agreements:
        agreement.figures = numbers[agreement.pk]
    households = list(company.households.all())
    context = {
        "company": company,
        "shareholders": list(company.shareholders.all()),
        "households": households,
        "flagged": sum(1 for h in households if h.status != h.Status.ORDINARY),
        "partners": list(company.partners.all()),
        "agreements": agreements,
        "parks": list(company.enclave_parks.all()),
        "can_edit": can_edit(request.user, company),
    }
    return render(request, "rural/company_detail.html", context)


ADD = {
    # verb: (parent model, form, service, heading)
    "company": {
        "shareholder": (ShareholderForm, services.add_shareholder, "添加股东"),
        "household": (HouseholdForm, services.add_household, "添加联结农户"),
    },
    "park": {
        "tenant": (TenantForm, services.add_tenant, "登记入驻企业"),
        "share": (ShareForm, services.add_share, "登记收益分成"),
    },
    "agreement": {
        "delivery": (DeliveryForm, services.record_delivery, "登记交售"),
        "payment": (PaymentForm, services.add_payment, "登记付款"),
    },
}
PARENTS = {"company": Company, "park": EnclavePark, "agreement": Agreement}


def _add(request, parent_kind, pk, verb):
    if verb not in ADD[parent_kind]:
        raise Http404
    parent = get_for_user(request.user, PARENTS[parent_kind], write=True, pk=pk)
    form_class, service, heading = ADD[parent_kind][verb]
    form = form_class(request.POST or None, user=request.user)
    if "quantity" in form.fields:  # 数量(斤): the agreement's unit
        form.fields["quantity"].label = f"{form.fields['quantity'].label}({parent.quantity_unit})"
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None or k == "unit_price"}
        record = _save(form, lambda: service(request.user, parent, **data))
        if record is not None:
            messages.success(request, _("已保存。"))
            return redirect(parent)
    context = {"form": form, "title": _(heading), "parent": parent}
    return render(request, "rural/form.html", context)


@require_http_methods(["GET", "POST"])
def company_add(request, pk, verb):
    return _add(request, "company", pk, verb)


@require_http_methods(["GET", "POST"])
def park_add(request, pk, verb):
    return _add(request, "park", pk, verb)


@require_http_methods(["GET", "POST"])
def agreement_add(request, pk, verb):
    return _add(request, "agreement", pk, verb)


# The rows under a company or a park, changed (or removed) one at a time from the parent's page.
ROWS = {
    # verb: (row model, form, service, heading)
    "company": {
        "shareholder": (Shareholder, ShareholderForm, services.update_shareholder, "修改股东"),
        "household": (Household, HouseholdForm, services.update_household, "修改联结农户"),
    },
    "park": {
        "tenant": (EnclaveTenant, TenantForm, services.update_tenant, "修改入驻企业"),
        "share": (EnclaveShare, ShareForm, services.update_share, "修改收益分成"),
    },
}


def _edit_row(request, parent_kind, pk, verb, row_pk):
    if verb not in ROWS[parent_kind]:
        raise Http404
    parent = get_for_user(request.user, PARENTS[parent_kind], write=True, pk=pk)
    model, form_class, service, heading = ROWS[parent_kind][verb]
    row = get_object_or_404(model, pk=row_pk, **{parent_kind: parent})
    if request.method == "POST" and "remove" in request.POST:
        services.remove_row(request.user, row)
        messages.success(request, _("已删除。"))
        return redirect(parent)
    form = form_class(request.POST or None, instance=row, user=request.user)
    if request.method == "POST":
        form.instance = model.objects.get(pk=row.pk)  # the service compares with the row saved

    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda: service(request.user, row, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(parent)
    context = {"form": form, "title": _(heading), "parent": parent, "removable": True}
    return render(request, "rural/form.html", context)


@require_http_methods(["GET", "POST"])
def company_row(request, pk, verb, row):
    return _edit_row(request, "company", pk, verb, row)


@require_http_methods(["GET", "POST"])
def park_row(request, pk, verb, row):
    return _edit_row(request, "park", pk, verb, row)


@require_http_methods(["GET", "POST"])
def company_edit(request, pk):
    company = get_for_user(request.user, Company, write=True, pk=pk)
    form = CompanyForm(request.POST or None, instance=company, user=request.user)

    def done(data):
        version = form.seen_version()
        data.pop("version", None)
        partners = data.pop("partners", None)
        return services.update_company(
            request.user, company, version=version, fields=data, partners=partners
        )

    if request.method == "POST":
        form.instance = Company.objects.get(pk=company.pk)
    return _form_page(request, form, "rural/form.html", _("修改公司信息"), done, company)


@require_http_methods(["GET", "POST"])
def park_edit(request, pk):
    park = get_for_user(request.user, EnclavePark, write=True, pk=pk)
    form = ParkForm(request.POST or None, instance=park, user=request.user)

    def done(data):
        version = form.seen_version()
        data.pop("version", None)
        return services.update_park(request.user, park, version=version, fields=data)

    if request.method == "POST":
        form.instance = EnclavePark.objects.get(pk=park.pk)
    return _form_page(request, form, "rural/form.html", _("修改园区信息"), done, park)


@require_http_methods(["GET", "POST"])
def park_create(request):
    require(can_record(request.user), str(NO_RIGHT))
    form = ParkForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        "rural/form.html",
        _("建立飞地园区"),
        lambda data: services.create_park(request.user, **data),
    )


@require_GET
def park_detail(request, pk):
    park = get_for_user(request.user, EnclavePark.objects.select_related("unit", "company"), pk=pk)
    context = {
        "park": park,
        "tenants": list(park.tenants.select_related("enterprise")),
        "shares": list(park.shares.select_related("village")),
        "can_edit": can_edit(request.user, park),
    }
    return render(request, "rural/park_detail.html", context)


@require_http_methods(["GET", "POST"])
def agreement_create(request):
    require(can_record(request.user), str(NO_RIGHT))
    form = AgreementForm(request.POST or None, initial=_company_param(request), user=request.user)

    def done(data):
        data.pop("version", None)
        return services.create_agreement(request.user, **data)

    return _form_page(request, form, "rural/form.html", _("签订联农协议"), done)


def _company_param(request) -> dict:
    """``?company=<pk>`` (the company page's link) preselects that company when it is one the
    user may sign for; anything else is ignored."""
    value = request.GET.get("company", "")
    if not value.isdigit() or len(value) > 12:
        return {}
    found = Company.objects.editable_by(request.user).filter(pk=int(value)).first()
    return {"company": found} if found else {}


@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    agreement = get_for_user(request.user, Agreement, write=True, pk=pk)
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user)

    def done(data):
        version = form.seen_version()
        data.pop("version", None)
        return services.update_agreement(request.user, agreement, version=version, fields=data)

    if request.method == "POST":
        # The form's instance must not carry the typed values into the service's check.
        form.instance = Agreement.objects.get(pk=agreement.pk)
    return _form_page(request, form, "rural/form.html", _("修改协议"), done, agreement)


@require_GET
def agreement_detail(request, pk):
    agreement = get_for_user(
        request.user,
        Agreement.objects.select_related("unit", "company", "enterprise"),
        pk=pk,
    )
    today = timezone.localdate()
    deliveries = list(agreement.deliveries.select_related("recorded_by"))
    payments = list(agreement.payments.select_related("delivery"))
    for payment in payments:
        payment.late_days = payment.days_late(today)
        payment.pay_form = PayForm(
            initial={
                "version": payment.version,
                "paid_on": today,
                "amount_paid": payment.amount_due,
            },
            auto_id=f"pay{payment.pk}_%s",
        )
    context = {
        "agreement": agreement,
        "figures": figures.agreement_figures(agreement, today),
        "deliveries": deliveries,
        "payments": payments,
        "can_edit": can_edit(request.user, agreement),
        "today": today,
    }
    return render(request, "rural/agreement_detail.html", context)


@require_http_methods(["POST"])
def payment_pay(request, pk):
    payment = get_for_user(
        request.user, Payment.objects.select_related("agreement"), write=True, pk=pk
    )
    form = PayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pay(
                request.user,
                payment,
                version=data["version"],
                paid_on=data["paid_on"],
                amount_paid=data["amount_paid"],
                note=data["note"],
            )
        except (ValidationError, Conflict) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("付款已登记。"))
    else:
        messages.error(
            request,
            _("付款信息有误:")
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(payment.agreement.get_absolute_url() + "#payments")


@require_GET
def income(request):
    """Villages' collective income by town and village for a year, against the tiers."""
    form = ReportFilter(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise Http404
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    report = reports.income_report(request.user, year, data.get("unit"))
    context = {
        "form": form,
        "year": year,
        "report": report,
        "can_record": can_record(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "rural/income.html", context)


@require_GET
def income_xlsx(request):
    form = ReportFilter(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise Http404
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("year") or timezone.localdate().year
    report = reports.income_report(request.user, year, data.get("unit"))
    buffer = io.BytesIO()
    exports.income_xlsx(request.user, report, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{year}年村集体经济与联农带农.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "POST"])
def income_edit(request):
    """Enter or correct a village's income of a year (``?unit=&year=`` opens the row)."""
    require(can_record(request.user), str(NO_RIGHT))
    instance = None
    keys = ReportFilter(request.GET or None, user=request.user)
    if keys.is_bound and keys.is_valid() and keys.cleaned_data.get("unit"):
        year = keys.cleaned_data.get("year") or timezone.localdate().year
        instance = (
            VillageIncome.objects.editable_by(request.user)
            .filter(unit=keys.cleaned_data["unit"], year=year)
            .first()
        )
    initial = {"year": timezone.localdate().year}
    if keys.is_bound and keys.is_valid() and instance is None:
        initial |= {k: v for k, v in keys.cleaned_data.items() if v}
    form = IncomeForm(request.POST or None, instance=instance, initial=initial, user=request.user)

    def done(data):
        version = form.seen_version()
        data.pop("version", None)
        unit = instance.unit if instance else data.pop("unit")
        year = instance.year if instance else data.pop("year")
        data.pop("unit", None), data.pop("year", None)
        return services.save_income(request.user, unit=unit, year=year, version=version, **data)

    return _form_page(request, form, "rural/form.html", _("村集体收入"), done)
