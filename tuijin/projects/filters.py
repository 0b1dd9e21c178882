"""Ledger filters: they live in the URL, so a filtered view is a link one can send."""

import django_filters
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuijin.core.params import search_field
from tuijin.org.models import Person, Unit, UnitKind
from tuijin.projects.lights import Thresholds
from tuijin.projects.models import (
    REPORTING_STAGES,
    Category,
    IndustryTag,
    KeyLevel,
    Light,
    ProgressReport,
    Project,
    Stage,
)
from tuijin.projects.periods import Period, periods_due_before

SORTS = {
    "code": ("code",),
    "name": ("name",),
    "park": ("park__path", "code"),
    "stage": ("stage", "code"),
    "investment": ("-total_investment", "code"),
    "light": ("-light_rank", "code"),
    "last_report": ("last_report", "code"),  # oldest first: who is behind
    "-last_report": ("-last_report", "code"),
    "planned_start": ("planned_start", "code"),
}
SORT_LABELS = {
    "code": _("编号"),
    "name": _("名称"),
    "park": _("园区"),
    "stage": _("阶段"),
    "investment": _("总投资"),
    "light": _("灯色"),
    "last_report": _("最近填报(最早在前)"),
    "-last_report": _("最近填报(最新在前)"),
    "planned_start": _("计划开工"),
}


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", **search_field(label=_("搜索")))
    park = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.filter(kind=UnitKind.PARK), label=_("园区")
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("阶段"))
    light = django_filters.ChoiceFilter(choices=Light.choices, label=_("灯色"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="in_unit", label=_("责任单位")
    )
    leader = django_filters.ModelChoiceFilter(
        queryset=Person.objects.filter(assigned_projects__isnull=False).distinct(),
        field_name="leaders",
        label=_("包保领导"),
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("类别"))
    key_level = django_filters.ChoiceFilter(
        choices=[c for c in KeyLevel.choices if c[0]], label=_("重点级别")
    )
    year = django_filters.NumberFilter(field_name="annual_plans__year", label=_("计划年度"))
    tag = django_filters.ModelChoiceFilter(
        queryset=IndustryTag.objects.all(), field_name="tags", label=_("产业标签")
    )
    report = django_filters.ChoiceFilter(
        choices=[("missing", _("应报周期未报"))], method="report_missing", label=_("进度填报")
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            from tuijin.org.access import visible_units, zone_units

            # Offer the units the user can see, the parks of their zone (for orientation) and
            # the leaders of the projects they see: never another zone's.
            user = request.user
            self.filters["unit"].queryset = visible_units(user)
            self.filters["park"].queryset = zone_units(user).filter(kind=UnitKind.PARK)
            # The zone's 包保 leaders: its few hundred people each probed in the link table's
            # index, not a DISTINCT over every visible project's leaders (B12).
            leads = Project.leaders.through.objects.filter(person=OuterRef("pk"))
            self.filters["leader"].queryset = Person.objects.filter(
                Exists(leads), unit__in=zone_units(user)
            )

    def search(self, queryset, name, value):
        """Name, code or pinyin initials (犇星 → bx); several words must all match."""
        for word in value.lower().split():
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset

    def in_unit(self, queryset, name, unit):
        return queryset.filter(unit__path__startswith=unit.path)

    def report_missing(self, queryset, name, value):
        """Projects in a reporting stage with no report for the last period already due
        (the home page's 未报进度 count opens this)."""
        return queryset.filter(report_missing_q(timezone.localdate()))


def due_period(today) -> Period:
    """The last reporting period whose report is already due (the ledger's 应报周期)."""
    t = Thresholds.current()
    (period,) = periods_due_before(today, t.period_kind, t.due_days, 1)
    return period


def report_missing_q(today) -> Q:
    period = due_period(today)
    filed = ProgressReport.objects.filter(project=OuterRef("pk"), period_start=period.start)
    return Q(stage__in=REPORTING_STAGES) & ~Exists(filed)


def ledger_queryset(request, base=None):
    """The ledger as the user filtered and sorted it: pages and exports share this.

    No DISTINCT (B12): visibility uses subqueries, and each many-to-many filter (leader, tag,
    plan year) names one value, which a link table holds at most once per project. The sort
    keys are annotations Django leaves out of counts that do not use them."""
    base = base if base is not None else Project.objects.visible_to(request.user)
    last_report = ProgressReport.objects.filter(project=OuterRef("pk")).values("project")
    base = base.annotate(
        last_report=Subquery(last_report.annotate(m=Max("period_start")).values("m")[:1]),
        light_rank=Case(
            When(light=Light.RED, then=Value(2)),
            When(light=Light.YELLOW, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    )
    filterset = ProjectFilter(request.GET, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    sort = request.GET.get("sort", "park")
    return filterset, queryset.order_by(*SORTS.get(sort, SORTS["park"])), sort


def with_lists(queryset):
    """What every ledger row shows, fetched in a constant number of queries."""
    return queryset.select_related("park", "unit").prefetch_related("leaders")
