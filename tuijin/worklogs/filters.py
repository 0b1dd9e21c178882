"""Filters of the work log list; they live in the URL."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import search_field
from tuijin.org.access import visible_units
from tuijin.org.models import Person, Unit
from tuijin.projects.forms import DATE
from tuijin.projects.models import Enterprise, Project
from tuijin.worklogs.models import WorkLog


class LogFilter(django_filters.FilterSet):
    """Keyword, unit, author, kind, visited record and dates; bad values are ignored."""

    q = django_filters.CharFilter(method="keyword", **search_field(label=_("关键词")))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="in_unit", label=_("单位"), empty_label=_("全部单位")
    )
    author = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), label=_("填写人"), empty_label=_("全部人员")
    )
    kind = django_filters.ChoiceFilter(
        choices=WorkLog.Kind.choices, label=_("类型"), empty_label=_("全部类型")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(),
        field_name="visits__enterprise",
        label=_("走访企业"),
        empty_label=_("全部企业"),
    )
    project = django_filters.ModelChoiceFilter(
        queryset=Project.objects.all(),
        field_name="visits__project",
        label=_("走访项目"),
        empty_label=_("全部项目"),
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("起始日期"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("截止日期"), widget=DATE
    )

    class Meta:
        model = WorkLog
        fields = []

    by_date = False  # how the keyword is written: see search.search and by_date_qs

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        # Choices come through the same scoping functions as the rows.
        self.filters["unit"].queryset = visible_units(user)
        self.filters["author"].queryset = Person.objects.visible_to(user)
        self.filters["enterprise"].queryset = Enterprise.objects.visible_to(user)
        self.filters["project"].queryset = Project.objects.visible_to(user)
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else None
            f.widget.attrs.setdefault("class", css or "form-control form-control-sm")

    def keyword(self, queryset, name, value):
        from tuijin.worklogs.search import search

        return search(queryset, value, by_date=self.by_date)

    @property
    def has_keyword(self) -> bool:
        return bool(self.is_valid() and self.form.cleaned_data.get("q"))

    def by_date_qs(self):
        """The rows of ``qs``, the keyword checked row by row in date order instead of looked
        up in the text index: the page of a common term (views.CappedPaginator). The form is
        already validated, so this sends no query of its own."""
        self.by_date = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self.by_date = False

    def in_unit(self, queryset, name, value):
        return queryset.filter(unit__in=value.subtree())
