from django.contrib import admin

from tuijin.public.models import PublishedProject


@admin.register(PublishedProject)
class PublishedProjectAdmin(admin.ModelAdmin):
    list_display = ("project", "published", "published_at", "by")
    list_filter = ("published",)
    raw_id_fields = ("project", "by")
