from django.contrib import admin

from tuijin.intake.models import IntakeDocument


@admin.register(IntakeDocument)
class IntakeDocumentAdmin(admin.ModelAdmin):
    """Read-only: an intake is a record of what happened, changed only by confirming a text."""

    list_display = ["title", "created_by", "unit", "created_at", "repairs"]
    list_filter = ["unit"]
    search_fields = ["title", "text"]
    readonly_fields = [f.name for f in IntakeDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
