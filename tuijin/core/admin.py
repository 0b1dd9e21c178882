from django.contrib import admin

from tuijin.core.models import AuditEvent, Job


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only. ``seq`` is empty until the sealer chains the event."""

    list_display = ["id", "seq", "created_at", "actor_repr", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "actor_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "owner", "title", "status", "progress", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "owner",
        "kind",
        "title",
        "params",
        "status",
        "progress",
        "done_count",
        "total_count",
        "result",
        "result_name",
        "error",
        "created_at",
        "finished_at",
    ]
