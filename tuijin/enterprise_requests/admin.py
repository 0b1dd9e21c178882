"""Enterprise requests in the admin site: read and corrected by administrators (their edits are
audited by the models' signals). The workflow runs on the site's pages, through the services."""

from django.contrib import admin

from tuijin.enterprise_requests.models import EnterpriseRequest, RequestPhoto, RequestStep


class PhotoInline(admin.TabularInline):
    model = RequestPhoto
    fields = ["image", "original_name", "taken_at"]
    readonly_fields = ["original_name", "taken_at"]
    extra = 0


class StepInline(admin.TabularInline):
    model = RequestStep
    fields = ["at", "verb", "actor", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(EnterpriseRequest)
class EnterpriseRequestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "enterprise",
        "category",
        "state",
        "unit",
        "raised_on",
        "resolve_due",
    ]
    list_filter = ["state", "category"]
    search_fields = ["description", "enterprise__name"]
    raw_id_fields = ["enterprise", "project", "raised_by", "assigned_by", "escalated_item"]
    inlines = [PhotoInline, StepInline]


@admin.register(RequestStep)
class RequestStepAdmin(admin.ModelAdmin):
    list_display = ["request", "verb", "actor", "at"]
    list_filter = ["verb"]
    raw_id_fields = ["request", "actor"]


@admin.register(RequestPhoto)
class RequestPhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "request", "uploaded_at"]
    raw_id_fields = ["request"]
