from django.contrib import admin

from tuijin.public.models import PublicPhoto, PublishedProject


@admin.register(PublishedProject)
class PublishedProjectAdmin(admin.ModelAdmin):
    list_display = ("project", "published", "published_at", "by")
    list_filter = ("published",)
    raw_id_fields = ("project", "by")


@admin.register(PublicPhoto)
class PublicPhotoAdmin(admin.ModelAdmin):
    """Read-only: photos are shown and hidden through the service (it makes the copies)."""

    list_display = ("photo", "public", "marked_at", "by")
    list_filter = ("public",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
