"""Tokens in the admin site: listed for administrators (to see and revoke a leaked one);
made by their owners on the tokens page only (the secret is shown once, to its owner)."""

from django.contrib import admin
from django.utils import timezone

from tuijin.api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "prefix", "scope", "created_at", "expires_at", "last_used_at")
    fields = ("name", *readonly_fields, "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="撤销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at=None):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
