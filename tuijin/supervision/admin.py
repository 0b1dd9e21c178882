import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from tuijin.core.uploads import SPREADSHEET, UploadField
from tuijin.core.xlsx import XLSX_CONTENT_TYPE
from tuijin.supervision import services, workdays
from tuijin.supervision.holidays import HEADERS, parse_holiday_sheet, write_template
from tuijin.supervision.models import HolidayOverride, ProblemCategory

WEEKDAYS = "一二三四五六日"


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = HolidayOverride.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


class HolidayImportForm(forms.Form):
    file = UploadField(label="Excel 文件(.xlsx)", kind=SPREADSHEET)


def year_status(years) -> list[tuple[int, str]]:
    """How each year's working days are known, in the admins' words."""
    entered = workdays.entered_years(years)
    rows = []
    for year in years:
        if year in entered:
            text = "已录入本年安排(节假日调整优先)"
        elif workdays.package_covers(year):
            text = "由 chinesecalendar 提供官方安排"
        else:
            text = "节假日安排未公布:按法定节假日和周末推算,公布后请录入调休"
        rows.append((year, text))
    return rows


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    """节假日调整: the announced 调休 of a year chinesecalendar lacks, and corrections.
    Saving, importing or deleting recalculates the open working-day items it moves."""

    list_display = ["date", "weekday", "status", "note"]
    list_filter = [YearFilter, "is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]
    ordering = ["date"]
    list_per_page = 100
    change_list_template = "admin/supervision/holidayoverride/change_list.html"

    @admin.display(description="星期")
    def weekday(self, obj):
        return f"星期{WEEKDAYS[obj.date.weekday()]}"

    @admin.display(description="安排", ordering="is_workday")
    def status(self, obj):
        return "上班" if obj.is_workday else "休息"

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="supervision_holidayoverride_import",
            ),
            path(
                "template/",
                self.admin_site.admin_view(self.template_view),
                name="supervision_holidayoverride_template",
            ),
        ]
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        extra_context = {
            **(extra_context or {}),
            "year_status": year_status(range(this_year - 1, this_year + 3)),
            "can_import": services.can_set_holidays(request.user),
        }
        return super().changelist_view(request, extra_context)

    # Every change of the table moves the deadlines it affects, in the same transaction.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dates = {obj.date, form.initial.get("date")} - {None}
        self._recalculate(request, dates)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recalculate(request, {obj.date})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            dates = set(queryset.values_list("date", flat=True))
            super().delete_queryset(request, queryset)
            self._recalculate(request, dates)

    def _recalculate(self, request, dates) -> None:
        moved = services.apply_holiday_calendar(request.user, dates)
        if moved:
            messages.info(request, f"已按新的节假日安排重新计算 {len(moved)} 项督办事项的期限。")

    def import_view(self, request):
        if not services.can_set_holidays(request.user):
            raise PermissionDenied
        post = request.method == "POST"
        form = HolidayImportForm(request.POST, request.FILES) if post else HolidayImportForm()
        errors = []
        if post and form.is_valid():
            upload = form.cleaned_data["file"]
            rows, errors = parse_holiday_sheet(upload, upload.name)
            if not errors:
                count, moved = services.import_holidays(request.user, rows)
                messages.success(
                    request,
                    f"已导入 {len(rows)} 行(其中新增或修改 {count} 行),"
                    f"重新计算了 {len(moved)} 项督办事项的期限。",
                )
                return redirect("admin:supervision_holidayoverride_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "从 Excel 导入节假日调整",
            "form": form,
            "errors": errors,
            "headers": HEADERS,
        }
        return TemplateResponse(request, "admin/supervision/holidayoverride/import.html", context)

    def template_view(self, request):
        buffer = io.BytesIO()
        write_template(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''holidays.xlsx"
        return response


@admin.register(ProblemCategory)
class ProblemCategoryAdmin(admin.ModelAdmin):
    """问题类别 (an editable list, like the 前期手续 types): admins add, reorder or rename."""

    list_display = ["name", "sort_order"]
    list_editable = ["sort_order"]
