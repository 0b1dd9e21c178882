from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from tuijin.org.models import Person, Unit


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit, fields=["name", "short_name", "kind", "sort_order"])
    list_display = ["name", "kind", "short_name"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "unit", "role", "user", "is_active"]
    list_filter = ["role", "is_active", "unit__kind"]
    search_fields = ["name", "title", "unit__name", "user__username"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["unit", "user"]
