import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.access import get_for_user, require
from tuijin.core.pending import PendingUpload
from tuijin.core.uploads import SPREADSHEET, check_upload
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.org import imports, services
from tuijin.org.imports import RowError
from tuijin.org.models import Person, Unit
from tuijin.org.services import can_manage_org


@require_GET
def unit_list(request):
    units = Unit.objects.visible_to(request.user).annotate(people_count=Count("people"))
    context = {"units": units, "count": len(units), "can_import": can_manage_org(request.user)}
    return render(request, "org/unit_list.html", context)


@require_GET
def unit_detail(request, pk):
    unit = get_for_user(request.user, Unit, pk=pk)
    context = {
        "unit": unit,
        "children": Unit.objects.get_children(unit),
        "people": unit.people.filter(is_active=True).select_related("user"),
        "ancestors": Unit.objects.get_ancestors(unit),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
def person_detail(request, pk):
    person = get_for_user(request.user, Person.objects.select_related("unit"), pk=pk)
    return render(request, "org/person_detail.html", {"person": person})


# --- Bulk import of units and people (admins only) --------------------------------------------

IMPORT_SESSION_KEY = "org_import"


def _require_admin(user):
    require(can_manage_org(user), _("只有系统管理员可以批量导入单位和人员。"))


def _import_page(request, *, errors=(), plan=None, token="", accounts=None):
    context = {
        "errors": errors,
        "plan": plan,
        "token": token,
        "accounts": accounts,
        "sheets": imports.SHEETS,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "org/import.html", context)


@require_GET
def import_template(request):
    _require_admin(request.user)
    out = io.BytesIO()
    imports.write_template(out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="单位和人员导入模板.xlsx", content_type=XLSX_CONTENT_TYPE
    )


@require_http_methods(["GET", "POST"])
def import_upload(request):
    """GET: the upload form. POST: check the file and show the preview (nothing is saved)."""
    _require_admin(request.user)
    if request.method == "GET":
        return _import_page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, errors=[RowError("", None, message=_("请选择 .xlsx 文件"))])
    try:
        upload = check_upload(upload, SPREADSHEET)  # size, type by content, archive limits
    except ValidationError as error:
        return _import_page(request, errors=[RowError("", None, message=m) for m in error])
    plan = imports.parse_upload(upload, upload.name)
    if plan.errors:
        return _import_page(request, errors=plan.errors)
    token = PendingUpload(request, IMPORT_SESSION_KEY).keep(upload, prefix="org-")
    return _import_page(request, plan=plan, token=token)


@never_cache  # the page shows initial passwords once
@require_POST
def import_confirm(request):
    _require_admin(request.user)
    pending = PendingUpload(request, IMPORT_SESSION_KEY)
    stored = pending.open(request.POST.get("token"))
    if stored is None:
        messages.error(request, _("导入预览已失效,请重新上传文件"))
        return redirect("org:import_upload")
    with stored:
        plan = imports.parse_upload(stored)
    password = request.POST.get("initial_password", "")
    errors = plan.errors
    if not errors and password:
        errors = services.initial_password_errors(plan, password)
    if errors:
        # The data changed since the preview, or the chosen password breaks the rules.
        return _import_page(request, errors=errors, plan=plan, token=pending.token)
    try:
        accounts = services.import_organisation(request.user, plan, initial_password=password)
    except (DatabaseError, ValidationError) as exc:
        message = _("导入失败,没有保存任何数据:%(e)s") % {"e": exc}
        return _import_page(request, errors=[RowError("", None, message=message)])
    finally:
        pending.discard()
    return _import_page(request, plan=plan, accounts=accounts)
