"""The OC4IDS project package (Open Contracting for Infrastructure Data Standard 0.9) of the
projects the zone publishes, mapped as ../shared/OC4IDS_MAPPING.md says. Only public facts:
never the 包保 leaders or any person, 督办 items, traffic lights or problems."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from tuijin.projects.models import Category, ProgressReport, Project, Stage

VERSION = "0.9"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CURRENCY = "CNY"
WAN = Decimal(10000)  # our amounts are in 万元

STATUS = {
    Stage.PLANNING: "identification",
    Stage.SIGNED: "identification",
    Stage.PREPARING: "preparation",
    Stage.CONSTRUCTION: "implementation",
    Stage.SUSPENDED: "implementation",
    Stage.COMPLETED: "completion",
    Stage.OPERATING: "maintenance",
}
SECTOR = {
    Category.INDUSTRY: "industry",
    Category.INFRASTRUCTURE: "infrastructure",
    Category.SOCIAL: "social",
    Category.OTHER: "other",
}
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


def published_projects():
    reports = ProgressReport.objects.order_by("period_end", "pk")
    return (
        Project.objects.filter(publication__published=True)
        .select_related("park", "unit", "publication")
        .prefetch_related(
            "enterprises",
            "annual_plans",
            "milestones",
            "approvals__kind",
            Prefetch("reports", queryset=reports),
        )
        .order_by("code")
    )


def _period(project: Project) -> dict:
    period = {}
    if start := project.actual_start or project.planned_start:
        period["startDate"] = when(start)
    if end := project.actual_completion or project.planned_completion:
        period["endDate"] = when(end)
    return period


def _milestones(project: Project, today: dt.date) -> list:
    rows = []
    for approval in project.approvals.all():
        if approval.planned_date is None and approval.actual_date is None:
            continue
        rows.append(
            _milestone(
                f"approval-{approval.pk}",
                "approval",
                approval.kind.name,
                approval.planned_date,
                approval.actual_date,
                today,
            )
        )
    for milestone in project.milestones.all():
        rows.append(
            _milestone(
                f"milestone-{milestone.pk}",
                "delivery",
                milestone.name,
                milestone.due_date,
                milestone.done_date,
                today,
            )
        )
    return rows


def _milestone(ident, kind, title, due, done, today) -> dict:
    row = {"id": ident, "type": kind, "title": title}
    if due:
        row["dueDate"] = when(due)
    if done:
        row["dateMet"] = when(done)
        row["status"] = "met"
    else:
        row["status"] = "notMet" if due and due < today else "scheduled"
    return row


def _metrics(project: Project) -> list:
    monthly = {}  # the month's last report stands for the month
    for report in project.reports.all():
        monthly[(report.period_end.year, report.period_end.month)] = report
    physical, financial, spent = [], [], Decimal(0)
    for report in project.reports.all():
        spent += report.investment
        if monthly[(report.period_end.year, report.period_end.month)] is not report:
            continue
        period = {"startDate": when(report.period_start), "endDate": when(report.period_end)}
        physical.append(
            {
                "id": f"p-{report.pk}",
                "period": period,
                "measure": str(report.progress),
                "unit": {"name": "percent"},
            }
        )
        financial.append({"id": f"f-{report.pk}", "period": period, "value": money(spent)})
    metrics = []
    if physical:
        metrics.append({"id": "physicalProgress", "title": "形象进度", "observations": physical})
        metrics.append(
            {"id": "financialProgress", "title": "累计完成投资", "observations": financial}
        )
    return metrics


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
    location = {"id": "1"}
    if project.location:
        location["description"] = project.location
    if project.park_id:
        location["address"] = {"locality": project.park.name}
    if project.latitude is not None and project.longitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(project.longitude), float(project.latitude)],
        }
    return [location] if len(location) > 1 else []


def _documents(project: Project) -> list:
    return [
        {
            "id": f"report-{report.pk}",
            "documentType": "physicalProgressReport",
            "title": f"{report.period_start:%Y-%m-%d}–{report.period_end:%Y-%m-%d}",
            "description": report.narrative,
            "datePublished": when(report.submitted_at),
        }
        for report in project.reports.all()
    ]


def project_release(project: Project, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    data = {
        "id": project.code,
        "identifiers": [{"scheme": "CN-TUIJIN", "id": project.code}],
        "title": project.name,
        "description": project.content or project.name,
        "updated": when(project.updated_at),
        "language": "zh",
        "status": STATUS.get(project.stage, "identification"),
        "type": "construction",
        "sector": [SECTOR.get(project.category, "other")],
        "period": _period(project),
        "locations": _locations(project),
        "budget": {
            "amount": money(project.total_investment),
            "budgetBreakdown": [
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
            ],
        },
        "parties": _parties(project),
        "milestones": _milestones(project, today),
        "metrics": _metrics(project),
        "documents": _documents(project),
    }
    if project.actual_completion:
        data["completion"] = {"endDate": when(project.actual_completion)}
    return {key: value for key, value in data.items() if value not in ({}, [], None)}


def package(uri: str, publisher: str, projects=None) -> dict:
    projects = list(published_projects() if projects is None else projects)
    stamps = [p.publication.published_at for p in projects] + [p.updated_at for p in projects]
    return {
        "uri": uri,
        "publishedDate": when(max(stamps) if stamps else timezone.now()),
        "publisher": {"name": publisher},
        "license": LICENSE,
        "version": VERSION,
        "projects": [project_release(p) for p in projects],
    }
