"""The OC4IDS project package (Open Contracting for Infrastructure Data Standard, schema 0.9.5)
of the projects the zone publishes, mapped as ../shared/OC4IDS_MAPPING.md says. Validated in the
suite by the standard's own review library against the official schema shipped in ``schema/``
(tests/oc4ids_review.py).

Only public facts by default: never the 包保 leaders or any person, 督办 items, traffic lights
or problems. A zone that wants them published turns on the ``OC4IDS_INTERNAL`` rule
(``set_internal``, audited); they then go out under the namespaced key ``x_tuijin`` of each
project (OC4IDS has no extension registry; the ``x_`` prefix keeps local fields apart from any
the standard may add). The schema allows extra fields, so the package stays valid."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuijin.core.audit import audit_context
from tuijin.core.rules_settings import settings_for
from tuijin.projects.models import Category, ProgressReport, Project, Stage
from tuijin.public.models import PublicPhoto
from tuijin.public.permissions import can_publish

VERSION = "0.9"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURRENCY = "CNY"
WAN = Decimal(10000)  # our amounts are in 万元
EXTENSION = "x_tuijin"
# UN/CEFACT Recommendation 20 (the unit scheme the schema recommends): P1 is "percent".
PERCENT = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}

STATUS = {
    Stage.PLANNING: "identification",
    Stage.SIGNED: "identification",
    Stage.PREPARING: "preparation",
    Stage.CONSTRUCTION: "implementation",
    Stage.SUSPENDED: "implementation",
    Stage.COMPLETED: "completion",
    Stage.OPERATING: "maintenance",
}
# The open projectSector codelist has no "industry" or "social"; "economy" covers industry
# ("agribusiness, agriculture, science and environment"). Our own category always goes out as
# an additional classification, so nothing is lost where no sector code fits.
SECTOR = {Category.INDUSTRY: "economy"}
CHINA = dt.timezone(dt.timedelta(hours=8))


def when(value) -> str | None:
    """A date or datetime as the schema's date-time (midnight China time for a date)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return dt.datetime.combine(value, dt.time(), CHINA).isoformat()


def money(amount_wan) -> dict:
    return {"amount": float(Decimal(amount_wan) * WAN), "currency": CURRENCY}


def clean(value):
    """Drop empty strings, lists, objects and nulls at any depth: the schema forbids them
    (minLength / minItems / minProperties 1) and the review tool flags them."""
    if isinstance(value, dict):
        items = ((key, clean(item)) for key, item in value.items())
        return {key: item for key, item in items if item not in ("", None, [], {})}
    if isinstance(value, list):
        items = (clean(item) for item in value)
        return [item for item in items if item not in ("", None, [], {})]
    return value


def rules() -> dict:
    values = settings_for("OC4IDS_PREFIX", "OC4IDS_INTERNAL")
    return {
        "prefix": (values["OC4IDS_PREFIX"] or "").strip(),
        "internal": values["OC4IDS_INTERNAL"],
    }


def set_internal(user, on: bool) -> None:
    """Turn the internal-fields extension on or off (the zone's leaders and admins; audited
    as a change of the rule, like any edit in 规则与阈值)."""
    if not can_publish(user):
        raise PermissionDenied(_("只有区领导和系统管理员可以公开项目"))
    from constance import config

    action = "oc4ids_internal_on" if on else "oc4ids_internal_off"
    with transaction.atomic(), audit_context(actor=user, action=action):
        config.OC4IDS_INTERNAL = bool(on)


def published_projects(internal: bool = False):
    reports = ProgressReport.objects.order_by("period_end", "pk")
    lookups = [
        "enterprises",
        "annual_plans",
        "milestones",
        "tags",
        "approvals__kind",
        Prefetch("reports", queryset=reports),
    ]
    if internal:
        from tuijin.supervision.models import Problem, SupervisionItem

        lookups += [
            Prefetch("leaders", queryset=_people()),
            Prefetch(
                "items",
                queryset=SupervisionItem.objects.select_related("lead_unit").order_by(
                    "assigned_on", "pk"
                ),
            ),
            Prefetch(
                "problems",
                queryset=Problem.objects.select_related("category", "unit").order_by(
                    "raised_at", "pk"
                ),
            ),
        ]
    return (
        Project.objects.filter(publication__published=True)
        .select_related("park", "unit", "publication")
        .prefetch_related(*lookups)
        .order_by("code")
    )


def _people():
    from tuijin.org.models import Person

    return Person.objects.select_related("unit").order_by("pk")


def _period(project: Project) -> dict:
    return {
        "startDate": when(project.actual_start or project.planned_start),
        "endDate": when(project.actual_completion or project.planned_completion),
    }


def _milestones(project: Project, today: dt.date) -> list:
    rows = [
        _milestone(
            f"approval-{approval.pk}",
            "approval",
            approval.kind.name,
            approval.planned_date,
            approval.actual_date,
            today,
        )
        for approval in project.approvals.all()
        if approval.planned_date or approval.actual_date
    ]
    rows += [
        _milestone(
            f"milestone-{milestone.pk}",
            "delivery",
            milestone.name,
            milestone.due_date,
            milestone.done_date,
            today,
        )
        for milestone in project.milestones.all()
    ]
    return rows


def _milestone(ident, kind, title, due, done, today) -> dict:
    status = "met" if done else "notMet" if due and due < today else "scheduled"
    return {
        "id": ident,
        "type": kind,
        "title": title,
        "dueDate": when(due),
        "dateMet": when(done),
        "status": status,
    }


def _metrics(project: Project) -> list:
    """One observation a month (the month's last report stands for it): physical progress
    in percent, financial progress as the investment completed to date."""
    reports = list(project.reports.all())
    monthly = {(r.period_end.year, r.period_end.month): r for r in reports}
    physical, financial, spent = [], [], Decimal(0)
    for report in reports:
        spent += report.investment
        month = (report.period_end.year, report.period_end.month)
        if monthly[month] is not report:
            continue
        period = {"startDate": when(report.period_start), "endDate": when(report.period_end)}
        label = f"{month[0]:04d}-{month[1]:02d}"
        physical.append(
            {
                "id": f"physicalProgress-{label}",
                "period": period,
                "measure": report.progress,
                "unit": PERCENT,
            }
        )
        financial.append(
            {"id": f"financialProgress-{label}", "period": period, "value": money(spent)}
        )
    if not physical:
        return []
    return [
        {
            "id": "physicalProgress",
            "title": "形象进度",
            "description": "月末填报的形象进度(%)",
            "observations": physical,
        },
        {
            "id": "financialProgress",
            "title": "累计完成投资",
            "description": "截至月末累计完成投资(元)",
            "observations": financial,
        },
    ]


def _parties(project: Project) -> list:
    parties = []
    if project.unit_id:
        parties.append(
            {
                "id": f"unit-{project.unit_id}",
                "name": project.unit.name,
                "roles": ["administrativeEntity"],
            }
        )
    for enterprise in project.enterprises.all():
        party = {
            "id": f"enterprise-{enterprise.pk}",
            "name": enterprise.name,
            "roles": ["buyer", "funder"],
        }
        if enterprise.credit_code:
            party["identifier"] = {"scheme": "CN-USCC", "id": enterprise.credit_code}
        parties.append(party)
    return parties


def _locations(project: Project) -> list:
    location = {
        "id": "1",
        "description": project.location,
        "address": {"locality": project.park.name} if project.park_id else None,
    }
    if project.latitude is not None and project.longitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(project.longitude), float(project.latitude)],
        }
    return [location] if clean(location).keys() - {"id"} else []


def _classifications(project: Project) -> list:
    rows = [
        {
            "scheme": "X-TUIJIN-CATEGORY",
            "id": project.category,
            "description": project.get_category_display(),
        }
    ]
    if project.park_id:
        rows.append(
            {
                "scheme": "X-TUIJIN-PARK",
                "id": str(project.park_id),
                "description": project.park.name,
            }
        )
    rows += [
        {"scheme": "X-TUIJIN-INDUSTRY", "id": str(tag.pk), "description": tag.name}
        for tag in project.tags.all()
    ]
    return rows


def _budget(project: Project) -> dict:
    plans = [
        {
            "id": str(plan.year),
            "description": f"{plan.year}年度计划投资",
            "amount": money(plan.amount),
            "period": {
                "startDate": when(dt.date(plan.year, 1, 1)),
                "endDate": when(dt.date(plan.year, 12, 31)),
            },
        }
        for plan in project.annual_plans.all()
    ]
    return {
        "amount": money(project.total_investment),
        "budgetBreakdowns": [
            {"id": "annualPlans", "description": "按年度的计划投资", "budgetBreakdown": plans}
        ],
    }


def _documents(project: Project, photos: list, base: str) -> list:
    rows = [
        {
            "id": f"report-{report.pk}",
            "documentType": "physicalProgressReport",
            "title": f"进度填报 {report.period_start:%Y-%m-%d}–{report.period_end:%Y-%m-%d}",
            "description": report.narrative,
            "datePublished": when(report.submitted_at),
            "language": "zh",
        }
        for report in project.reports.all()
    ]
    rows += [
        {
            "id": f"photo-{row.pk}",
            # documentType "illustration": images an application can show in a gallery; at
            # implementation, "visual evidence of physical progress". The URL is the image.
            "documentType": "illustration",
            "title": row.photo.caption or f"现场照片 {row.pk}",
            "url": urljoin(base, reverse("public:photo", args=[row.pk])),
            "format": "image/jpeg",
            "datePublished": when(row.marked_at),
        }
        for row in photos
    ]
    return rows


def _internal(project: Project) -> dict:
    """The internal fields, only when the zone turned the extension on."""
    return {
        "light": {
            "color": project.light,
            "reasons": list(project.light_reasons or []),
            "since": when(project.light_since),
        },
        "leaders": [
            {"name": person.name, "title": person.title, "unit": person.unit.name}
            for person in project.leaders.all()
        ],
        "supervisionItems": [
            {
                "id": str(item.pk),
                "title": item.title,
                "state": item.state,
                "leadUnit": item.lead_unit.name,
                "assignedOn": when(item.assigned_on),
                "originalDeadline": when(item.original_deadline),
                "deadline": when(item.deadline),
            }
            for item in project.items.all()
        ],
        "problems": [
            {
                "id": str(problem.pk),
                "category": problem.category.name,
                "description": problem.description,
                "unit": problem.unit.name,
                "level": problem.level,
                "status": problem.status,
                "raisedAt": when(problem.raised_at),
                "resolvedAt": when(problem.resolved_at),
            }
            for problem in project.problems.all()
        ],
    }


def project_release(
    project: Project,
    today: dt.date | None = None,
    *,
    prefix: str = "",
    internal: bool = False,
    photos: list = (),
    base: str = "",
) -> dict:
    today = today or timezone.localdate()
    data = {
        "id": f"{prefix}-{project.code}" if prefix else project.code,
        "identifiers": [{"scheme": "X-TUIJIN", "id": project.code}],
        "title": project.name,
        "description": project.content or project.name,
        "updated": when(project.updated_at),
        "language": "zh",
        "status": STATUS.get(project.stage, "identification"),
        "type": "construction",
        "sector": [SECTOR[project.category]] if project.category in SECTOR else [],
        "additionalClassifications": _classifications(project),
        "period": _period(project),
        "locations": _locations(project),
        "budget": _budget(project),
        "parties": _parties(project),
        "milestones": _milestones(project, today),
        "metrics": _metrics(project),
        "documents": _documents(project, list(photos), base),
    }
    if project.actual_completion:
        data["completion"] = {"endDate": when(project.actual_completion)}
    if internal:
        data[EXTENSION] = _internal(project)
    return clean(data)


def _photos(projects) -> dict:
    by_project = defaultdict(list)
    shown = (
        PublicPhoto.objects.shown()
        .filter(photo__project__in=[p.pk for p in projects])
        .select_related("photo")
        .order_by("photo__project", "-photo__taken_at", "pk")
    )
    for row in shown:
        by_project[row.photo.project_id].append(row)
    return by_project


def package(uri: str, publisher: str, projects=None) -> dict:
    rule = rules()
    if projects is None:
        projects = published_projects(internal=rule["internal"])
    projects = list(projects)
    photos = _photos(projects)
    stamps = [p.publication.published_at for p in projects] + [p.updated_at for p in projects]
    # The data is in the site's language ("language": "zh"), whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        releases = [
            project_release(
                p,
                prefix=rule["prefix"],
                internal=rule["internal"],
                photos=photos.get(p.pk, []),
                base=uri,
            )
            for p in projects
        ]
    return {
        "uri": uri,
        "publishedDate": when(max(stamps) if stamps else timezone.now()),
        "publisher": {"name": publisher},
        "license": LICENSE,
        "version": VERSION,
        "projects": releases,
    }
