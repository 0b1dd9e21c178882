from django.contrib import admin

from tuijin.notify.models import Delivery, Notification, Preference, Rule, UnitRobot


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """通知规则: who hears of which event, on which channels. Rules are data, not code."""

    list_display = ["event", "audience", "channels", "is_active"]
    list_filter = ["event", "audience", "is_active"]
    list_editable = ["is_active"]


@admin.register(UnitRobot)
class UnitRobotAdmin(admin.ModelAdmin):
    list_display = ["unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = ["unit"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent, to whom, on which channel, and how it went."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient",
        "robot",
        "title",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["title", "key", "recipient__username", "last_error"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at"]
    list_filter = ["event"]
    search_fields = ["title", "recipient__username"]


admin.site.register(Preference)
