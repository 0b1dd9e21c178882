"""State changes of the ledger: the one write path of every ledger record.

Each function is named for what officials do, takes plain values (never a form), checks the
rule of ``permissions.py`` before writing anything, and writes inside one transaction; audit
events are written by AuditedModel, with the verb named by audit_context. Callers that do
several things under one verb (the Excel import, intake) pass their own ``action``.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuijin.core.access import require
from tuijin.core.audit import audit_context, record_events, snapshot
from tuijin.core.bulk import BulkInsert, bulk_update_sql, delete_sql, gc_paused, insert_values
from tuijin.core.bulk import run as run_sql
from tuijin.core.uploads import facts_of
from tuijin.core.versions import check_version, locked, unique_write
from tuijin.org.access import person_of
from tuijin.projects.lights import (
    LIGHT_RANK,
    Facts,
    Thresholds,
    load_facts,
    period_light,
    project_light,
)
from tuijin.projects.models import (
    AnnualPlan,
    Approval,
    Enterprise,
    IndustryTag,
    Light,
    Milestone,
    PeriodLight,
    ProgressReport,
    Project,
    ProjectFile,
    pinyin_key,
)
from tuijin.projects.periods import Period, period_containing, periods_due_before
from tuijin.projects.permissions import (
    can_create_enterprise,
    can_create_project,
    can_edit_enterprise,
    can_edit_project,
    can_report_progress,
)

# Derived columns, left out of the audit on purpose (the facts behind them are audited).
LIGHT_FIELDS = ["light", "light_reasons", "light_since"]


def _set_light(project: Project, facts, as_of: dt.date, t: Thresholds, now) -> bool:
    """Put the light its facts give on the project (in memory); True if it changed."""
    light, reasons = project_light(facts, as_of, t)
    reasons = [r.as_dict() for r in reasons]
    if (project.light, project.light_reasons) == (light, reasons):
        return False
    if project.light != light or project.light_since is None:
        project.light_since = now  # the weekly digest reports new reds
    project.light, project.light_reasons = light, reasons
    return True


def refresh_lights(projects, as_of: dt.date | None = None) -> int:
    """Recompute and store the light of each project; returns how many changed."""
    as_of = as_of or timezone.localdate()
    t = Thresholds.current()
    projects = list(projects)
    facts = load_facts(projects, as_of, t)
    now = timezone.now()
    changed = [p for p in projects if _set_light(p, facts[p.pk], as_of, t, now)]
    Project.objects.bulk_update(changed, LIGHT_FIELDS, batch_size=500)
    return len(changed)


def freeze_period_lights(period: Period, projects=None) -> int:
    """Keep each project's light for `period`, computed on the period's due date. Idempotent."""
    t = Thresholds.current()
    as_of = period.due(t.due_days) + dt.timedelta(days=1)
    # What was known when the period's report fell due: nothing filed later, no later period.
    known_before = timezone.make_aware(dt.datetime.combine(as_of, dt.time.min))
    projects = list(projects if projects is not None else Project.objects.all())
    done = set(
        PeriodLight.objects.filter(period_start=period.start, project__in=projects).values_list(
            "project_id", flat=True
        )
    )
    todo = [p for p in projects if p.pk not in done]
    facts = load_facts(todo, as_of, t, through_period=period.start, known_before=known_before)
    rows = []
    for project in todo:
        light, reasons = period_light(facts[project.pk], period, as_of, t)
        rows.append(
            PeriodLight(
                project=project,
                period_start=period.start,
                light=light,
                frozen_light=light,
                reasons=[r.as_dict() for r in reasons],
            )
        )
    PeriodLight.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def freeze_due_periods(as_of: dt.date | None = None) -> int:
    """Daily: freeze the most recent period whose due date has passed."""
    t = Thresholds.current()
    as_of = as_of or timezone.localdate()
    (period,) = periods_due_before(as_of, t.period_kind, t.due_days, 1)
    return freeze_period_lights(period)


def revise_period_light(project: Project, period: Period) -> None:
    """A report made up after the period was frozen: red can become yellow, never green."""
    record = PeriodLight.objects.filter(project=project, period_start=period.start).first()
    if record is None:
        return
    t = Thresholds.current()
    as_of = period.due(t.due_days) + dt.timedelta(days=1)
    facts = load_facts([project], as_of, t, through_period=period.start)  # made-up reports count
    light, reasons = period_light(facts[project.pk], period, as_of, t)
    reasons = [r.as_dict() for r in reasons]
    if LIGHT_RANK[light] < LIGHT_RANK[record.frozen_light]:
        frozen = Light(record.frozen_light).label
        light = Light.YELLOW
        reasons.append(
            {
                "light": light,
                "rule": "made_up",
                "text": f"{period.label()}进度为逾期补报(原为{frozen}灯)",
            }
        )
    record.light, record.reasons = light, reasons
    record.save(update_fields=["light", "reasons", "updated_at"])


# --- enterprises and tags ---------------------------------------------------------------------


@transaction.atomic
def create_enterprise(user, *, action: str = "create_enterprise", **values) -> Enterprise:
    """Register an enterprise (name, responsible unit, park …)."""
    require(can_create_enterprise(user), _("您的角色不能新建企业。"))
    with audit_context(actor=user, action=action):
        enterprise = Enterprise(**values)
        _save_unique_enterprise(enterprise)  # save() also fills search_text
    return enterprise


@transaction.atomic
def update_enterprise(
    user, enterprise: Enterprise, *, action: str = "update_enterprise", **values
) -> Enterprise:
    require(can_edit_enterprise(user, enterprise), _("您无权修改该企业。"))
    with audit_context(actor=user, action=action):
        for name, value in values.items():
            setattr(enterprise, name, value)
        _save_unique_enterprise(enterprise)
    return enterprise


def _save_unique_enterprise(enterprise: Enterprise) -> None:
    """Save; a name or credit code another enterprise has (perhaps registered a moment ago by
    someone else) is a ValidationError on that field, never an IntegrityError."""
    others = Enterprise.objects.exclude(pk=enterprise.pk)
    if others.filter(name=enterprise.name).exists():
        raise ValidationError({"name": f"企业“{enterprise.name}”已登记,请勿重复新建。"})
    code = enterprise.credit_code
    if code and others.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": f"统一社会信用代码“{code}”已被其他企业使用。"})
    with unique_write(f"企业“{enterprise.name}”或其统一社会信用代码已登记,请勿重复新建。"):
        enterprise.save()


# --- projects --------------------------------------------------------------------------------


def _save_with_unique_code(project: Project) -> None:
    """Save, the code unique: checked here, and a lost race with another user a form error."""
    taken = f"项目编号“{project.code}”已被其他项目使用(可能是他人刚刚录入的),请换一个编号。"
    if Project.objects.filter(code=project.code).exclude(pk=project.pk).exists():
        raise ValidationError({"code": taken})
    with unique_write(taken, "code"):
        project.save()


def _set_related(project: Project, enterprises, leaders, tags) -> None:
    """Many-to-many lists; None leaves a list unchanged."""
    for manager, items in (
        (project.enterprises, enterprises),
        (project.leaders, leaders),
        (project.tags, tags),
    ):
        if items is not None:
            manager.set(items)


@transaction.atomic
def create_project(
    user,
    *,
    enterprises=None,
    leaders=None,
    tags=None,
    action: str = "create_project",
    refresh: bool = True,
    **values,
) -> Project:
    """Enter a project in the ledger. ``values`` are Project fields (code, name, park, unit …);
    ``refresh=False`` when the caller recomputes many lights at once."""
    require(can_create_project(user), _("您的角色不能新建项目。"))
    with audit_context(actor=user, action=action):
        project = Project(**values)
        _save_with_unique_code(project)  # save() also fills search_text
        _set_related(project, enterprises, leaders, tags)
    if refresh:
        refresh_lights([project])
    return project


@transaction.atomic
def update_project(
    user,
    project: Project,
    *,
    enterprises=None,
    leaders=None,
    tags=None,
    action: str = "update_project",
    refresh: bool = True,
    version: int | None = None,
    **values,
) -> Project:
    """Change a project's fields and, when given, its enterprises, leaders and tags.

    The row is read again, locked: `version` is the one the user's form showed (refused with
    ``core.versions.Conflict`` if someone saved since); None for callers without a form."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    require(can_edit_project(user, project), _("您无权修改该项目。"))
    check_version(project, version, "该项目")
    with audit_context(actor=user, action=action):
        for name, value in values.items():
            setattr(project, name, value)
        _save_with_unique_code(project)
        _set_related(project, enterprises, leaders, tags)
    if refresh:
        refresh_lights([project])
    return project


@transaction.atomic
def set_annual_plan(
    user, project: Project, year: int, amount: Decimal, *, action: str = "update_plans"
) -> AnnualPlan:
    """The investment planned for one year of a project, created or changed."""
    require(can_edit_project(user, project), _("您无权修改该项目。"))
    with audit_context(actor=user, action=action):
        plan = AnnualPlan.objects.filter(project=project, year=year).first()
        if plan is None:
            plan = AnnualPlan(project=project, year=year, amount=amount)
            plan.save()
        elif plan.amount != amount:
            plan.amount = amount
            plan.save()
    return plan


@dataclass
class RowChange:
    """One row of a project's list (approvals, milestones, annual plans), as plain values."""

    pk: int | None  # None: a new row
    values: dict = field(default_factory=dict)  # field name → value
    delete: bool = False
    version: int | None = None  # the version the user's form showed (None: no check)


ROW_NAMES = {
    AnnualPlan: lambda plan: f"{plan.year}年度计划",
    Approval: lambda approval: f"前期手续“{approval.kind}”",
    Milestone: lambda milestone: f"节点“{milestone.name}”",
}
DUPLICATE_ROWS = {  # a row a unique constraint allows once per project
    AnnualPlan: "{name}已存在(可能是他人刚刚添加的),请在该年度的行里修改金额。您填写的内容已保留。",
    Approval: "{name}已登记(可能是他人刚刚添加的),请在该手续的行里修改。您填写的内容已保留。",
}


def _apply_rows(project: Project, related_name: str, rows) -> None:
    """Write the rows in order; each stored row is locked and must be at the version the user
    saw (``Conflict``), a new row must not repeat a unique one (``ValidationError``)."""
    related = getattr(project, related_name)
    model = related.model
    for row in rows:
        if row.pk:
            record = locked(related.all(), row.pk, None, "该行")
            check_version(record, row.version, ROW_NAMES[model](record))
        else:
            record = model(project=project)
        if row.delete:
            if record.pk:
                record.delete()
            continue
        for name, value in row.values.items():
            setattr(record, name, value)
        duplicate = DUPLICATE_ROWS.get(model, "{name}已存在。").format(
            name=ROW_NAMES[model](record)
        )
        try:
            record.validate_constraints()
        except ValidationError:
            raise ValidationError(duplicate) from None
        with unique_write(duplicate):
            record.save()


@transaction.atomic
def update_approvals(user, project: Project, approvals=(), milestones=()) -> None:
    """Change a project's pre-construction approvals (前期手续) and milestones (节点)."""
    require(can_edit_project(user, project), _("您无权修改该项目。"))
    with audit_context(actor=user, action="update_approvals"):
        _apply_rows(project, "approvals", approvals)
        _apply_rows(project, "milestones", milestones)
    refresh_lights([project])


@transaction.atomic
def update_plans(user, project: Project, plans=()) -> None:
    """Change a project's annual investment plans (年度计划投资)."""
    require(can_edit_project(user, project), _("您无权修改该项目。"))
    with audit_context(actor=user, action="update_plans"):
        _apply_rows(project, "annual_plans", plans)
    refresh_lights([project])


# --- the Excel import ------------------------------------------------------------------------

IMPORT_ACTION = "import_projects"
# Project's many-to-many lists and the column naming the other side in their through table.
RELATED = {"enterprises": "enterprise_id", "leaders": "person_id", "tags": "industrytag_id"}


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    enterprises: int = 0  # new enterprises
    reports: int = 0  # progress reports filed or corrected


@dataclass
class _ImportWrites:
    """Everything an import writes, worked out before its transaction opens."""

    enterprises: list = field(default_factory=list)  # new Enterprise
    tags: list = field(default_factory=list)  # new IndustryTag
    projects: list = field(default_factory=list)  # new Project
    updates: dict = field(default_factory=dict)  # field name → projects whose field changed
    lights: list = field(default_factory=list)  # updated projects whose light changed
    # (project, list name, objects added, ids removed): new projects and changed lists.
    lists: list = field(default_factory=list)
    unlinks: dict = field(default_factory=dict)  # list name → through-table ids to delete
    new_plans: list = field(default_factory=list)
    changed_plans: list = field(default_factory=list)
    new_reports: list = field(default_factory=list)  # ProgressReport filed by the file
    changed_reports: dict = field(default_factory=dict)  # field name → reports corrected
    report_periods: list = field(default_factory=list)  # (project, Period) of those reports
    changes: dict = field(default_factory=dict)  # id(record) → (record, {field: [old, new]})
    changed_projects: list = field(default_factory=list)  # ids of updated projects


def import_projects(user, result, progress=None) -> ImportOutcome:
    """Apply a clean parse of the ledger import (``excel.importer.parse_projects``), all rows
    or none, in bulk, in one short transaction.

    Everything is worked out before it opens (``_prepare_import``): lookups, each row's
    changes, search keys, lights, audit changes, and the SQL of the INSERTs and UPDATEs
    (``core.bulk``: ``bulk_create``/``bulk_update`` would build it inside the transaction,
    seconds of CPU at 5,000 rows while SQLite holds every other writer). Inside it: those
    statements, then the rows that need the new ids (list links, annual plans) and the audit
    events. Bulk writes send no signals, so the events are written here: one per record
    created or changed (project, enterprise, annual plan) under the verb ``import_projects``,
    field changes as ``_on_save`` writes them, list changes as ``_on_m2m`` does.
    ``progress(done, total)`` hears (1, 2) when the writes are worked out and (2, 2) once
    they are committed.
    """
    require(can_create_project(user), _("您的角色不能导入项目。"))
    if result.errors or not result.rows:
        raise ValueError("import_projects needs a parse without errors")
    for row in result.rows:
        if row.project is not None:
            require(can_edit_project(user, row.project), _("您无权修改该项目。"))
    with gc_paused():
        return _import(user, result, progress)


def _import(user, result, progress) -> ImportOutcome:
    writes, outcome = _prepare_import(result)
    inserts = [
        BulkInsert(IndustryTag, writes.tags),
        BulkInsert(Enterprise, writes.enterprises),
        BulkInsert(Project, writes.projects),
    ]
    plans = BulkInsert(AnnualPlan, writes.new_plans, late={"project_id"})
    reports = BulkInsert(ProgressReport, writes.new_reports)
    # Each column only where it changed: an import never puts back a value someone changed
    # meanwhile in a column the file leaves as it was.
    updates = [
        *(
            sql
            for name, objs in writes.updates.items()
            for sql in bulk_update_sql(Project, objs, [name])
        ),
        *bulk_update_sql(Project, writes.lights, LIGHT_FIELDS),
        *bulk_update_sql(AnnualPlan, writes.changed_plans, ["amount"]),
        *(
            sql
            for name, objs in writes.changed_reports.items()
            for sql in bulk_update_sql(ProgressReport, objs, [name])
        ),
        *(
            sql
            for name, ids in writes.unlinks.items()
            for sql in delete_sql(getattr(Project, name).through, ids)
        ),
    ]
    created = {id(obj): _created_changes(obj) for obj in writes.enterprises + writes.projects}
    if progress:
        progress(1, 2)
    with transaction.atomic(), audit_context(actor=user, action=IMPORT_ACTION):
        for insert in inserts:
            insert.run()
        run_sql(updates)
        _touch(Project, writes.changed_projects, updated_at=timezone.now())
        _touch(AnnualPlan, [plan.pk for plan in writes.changed_plans])
        for name, column in RELATED.items():
            links = [
                (project.pk, item.pk)
                for project, list_name, added, _removed in writes.lists
                if list_name == name
                for item in added
            ]
            insert_values(getattr(Project, name).through, ["project_id", column], links)
        for plan in writes.new_plans:
            plan.project = plan.project  # its id, known once the project is inserted
        plans.run()
        reports.run()
        record_events(_import_events(writes, created))
    if writes.report_periods:
        # Reports are facts the lights read: the affected projects' lights as a report gives
        # them, and a closed period's frozen light revised (``submit_report`` does the same).
        refresh_lights([project for project, _period in writes.report_periods])
        t, today = Thresholds.current(), timezone.localdate()
        for project, period in writes.report_periods:
            if period.due(t.due_days) < today:
                revise_period_light(project, period)
    if progress:
        progress(2, 2)
    return outcome


def _touch(model, ids, **values) -> None:
    """What ``save()`` does besides writing the columns, for rows written in bulk: the given
    values (``updated_at``) and, for a versioned model, the version raised by one."""
    if any(f.name == "version" for f in model._meta.concrete_fields):
        values["version"] = F("version") + 1
    if ids and values:
        model.objects.filter(pk__in=ids).update(**values)


def _prepare_import(result) -> tuple[_ImportWrites, ImportOutcome]:
    """The writes of an import, in memory: this reads, it writes nothing."""
    writes, now = _ImportWrites(), timezone.now()

    # Enterprises and tags by name; any made since the preview count as existing.
    enterprises = dict(result.existing_enterprises)
    enterprises |= {e.name: e for e in Enterprise.objects.filter(name__in=result.new_enterprises)}
    for name, (unit, park) in result.new_enterprises.items():
        if name not in enterprises:
            enterprises[name] = Enterprise(
                name=name, unit=unit, park=park, search_text=pinyin_key(name)
            )
            writes.enterprises.append(enterprises[name])
    tag_names = {name for row in result.rows for name in row.tags or ()}
    tags = {tag.name: tag for tag in IndustryTag.objects.filter(name__in=tag_names)}
    for name in sorted(tag_names - tags.keys()):
        tags[name] = IndustryTag(name=name)
        writes.tags.append(tags[name])

    existing, changed = [], set()
    for row in result.rows:
        lists = {
            "enterprises": row.enterprises and [enterprises[n] for n in row.enterprises],
            "leaders": row.leaders,
            "tags": row.tags and [tags[n] for n in row.tags],
        }
        if row.project is None:
            project = Project(code=row.code, **row.values)
            project.search_text = pinyin_key(f"{project.name} {project.code}")
            writes.projects.append(project)
            writes.lists += [(project, n, items, []) for n, items in lists.items() if items]
        else:
            project = row.project
            existing.append(project)
            if _project_in_memory(writes, project, row.values, lists):
                changed.add(project.pk)
        if row.plan_amount is not None and _plan_in_memory(
            writes, project, row.plan_year, row.plan_amount
        ):
            changed.add(project.pk)
        if row.report is not None and _report_in_memory(writes, project, row.report, now):
            changed.add(project.pk)
    _unlinks(writes)
    _lights_in_memory(writes, existing, now)
    changed.discard(None)
    outcome = ImportOutcome(
        created=len(writes.projects),
        updated=len(changed),
        unchanged=len(existing) - len(changed),
        enterprises=len(writes.enterprises),
        reports=len(writes.report_periods),
    )
    return writes, outcome


def _project_in_memory(writes: _ImportWrites, project: Project, values, lists) -> bool:
    """Put an update row's values on its project; note each changed column, list and the
    audit changes. True if anything changed. The lists were prefetched by the parse."""
    old = snapshot(project)
    for name, value in values.items():
        setattr(project, name, value)
    new = snapshot(project)
    changes = {
        name: [old.get(name), value] for name, value in new.items() if old.get(name) != value
    }
    columns = [Project._meta.get_field(attname).name for attname in changes]
    if "name" in columns:
        project.search_text = pinyin_key(f"{project.name} {project.code}")
        columns.append("search_text")
    for column in columns:
        writes.updates.setdefault(column, []).append(project)
    for name, items in lists.items():
        if items is None:
            continue
        old_ids = {item.pk for item in getattr(project, name).all()}
        added = [item for item in items if item.pk is None or item.pk not in old_ids]
        removed = sorted(old_ids - {item.pk for item in items})
        if added or removed:
            writes.lists.append((project, name, added, removed))
            changes[name] = {}  # filled in once the added records have ids
    if changes:
        writes.changed_projects.append(project.pk)
        project._audit_snapshot = new
        writes.changes[id(project)] = (project, changes)
    return bool(changes)


def _plan_in_memory(writes: _ImportWrites, project: Project, year: int, amount) -> bool:
    """The project's plan for ``year`` created or changed; True if it was."""
    plans = getattr(project, "all_plans", [])  # prefetched by the parse; none for a new project
    plan = next((p for p in plans if p.year == year), None)
    if plan is None:
        writes.new_plans.append(AnnualPlan(project=project, year=year, amount=amount))
        return True
    if plan.amount == amount:
        return False
    old = snapshot(plan)
    plan.project, plan.amount = project, amount  # the project: its event names it
    writes.changed_plans.append(plan)
    writes.changes[id(plan)] = (plan, {"amount": [old["amount"], snapshot(plan)["amount"]]})
    return True


def _report_in_memory(writes: _ImportWrites, project: Project, figures, now) -> bool:
    """The period's progress report filed, or corrected where its figures differ; True if
    either. (A new project files none: the parse refuses that.)"""
    values = figures.changes
    if not values:
        return False
    report = figures.existing
    if report is None:
        writes.new_reports.append(
            ProgressReport(
                project=project,
                period_start=figures.period.start,
                period_end=figures.period.end,
                submitted_by=figures.by,
                submitted_at=now,
                **values,
            )
        )
    else:
        old = snapshot(report)
        for name, value in values.items():
            setattr(report, name, value)
            writes.changed_reports.setdefault(name, []).append(report)
        new = snapshot(report)
        report.project = project  # its event names the project
        writes.changes[id(report)] = (report, {k: [old.get(k), new[k]] for k in values})
    writes.report_periods.append((project, figures.period))
    return True


def _unlinks(writes: _ImportWrites) -> None:
    """The through-table rows of the list entries the import removes (read before writing)."""
    for name, column in RELATED.items():
        removed = {
            (project.pk, pk)
            for project, list_name, _added, ids in writes.lists
            if list_name == name
            for pk in ids
        }
        if not removed:
            continue
        rows = getattr(Project, name).through.objects.filter(
            project_id__in={project_id for project_id, _pk in removed}
        )
        writes.unlinks[name] = [
            pk
            for pk, project_id, other in rows.values_list("pk", "project_id", column)
            if (project_id, other) in removed
        ]


def _lights_in_memory(writes: _ImportWrites, existing: list, now) -> None:
    """Each project's light from its imported values: the import changes a project's own
    fields and its annual plan, nothing else the rules read (reports, milestones, approvals)."""
    as_of, t = timezone.localdate(), Thresholds.current()
    plans = {
        id(plan.project): plan.amount
        for plan in writes.new_plans + writes.changed_plans
        if plan.year == as_of.year
    }
    facts = load_facts(existing, as_of, t)
    for project in existing:
        if id(project) in plans:
            facts[project.pk].annual_plan = plans[id(project)]
        if _set_light(project, facts[project.pk], as_of, t, now):
            writes.lights.append(project)
    for project in writes.projects:
        new = Facts(
            stage=project.stage,
            planned_start=project.planned_start,
            actual_start=project.actual_start,
            created_on=now.date(),  # as load_facts reads created_at
            annual_plan=plans.get(id(project)),
        )
        _set_light(project, new, as_of, t, now)


def _created_changes(record) -> dict:
    """A new record's audit changes as ``_on_save`` writes them (empty values left out)."""
    return {k: [None, v] for k, v in snapshot(record).items() if v not in (None, "")}


def _import_events(writes: _ImportWrites, created: dict) -> list:
    """One audit event per record created or changed, once every record has its id;
    ``created``: the new enterprises' and projects' changes, worked out before."""
    for record in writes.enterprises + writes.projects:
        created[id(record)] = {"id": [None, record.pk], **created[id(record)]}
    for project, name, added, removed in writes.lists:
        changes = created.get(id(project)) or writes.changes[id(project)][1]
        changes[name] = {
            key: ids
            for key, ids in (("added", sorted(i.pk for i in added)), ("removed", removed))
            if ids
        }
    return [
        *((e, "create", created[id(e)]) for e in writes.enterprises),
        *((p, "create", created[id(p)]) for p in writes.projects),
        *((record, "update", changes) for record, changes in writes.changes.values()),
        *((plan, "create", _created_changes(plan)) for plan in writes.new_plans),
        *((report, "create", _created_changes(report)) for report in writes.new_reports),
    ]


# --- progress reports and files --------------------------------------------------------------


def attach_files(user, project: Project, uploads, kind: str, report=None) -> list[ProjectFile]:
    """Store checked uploads (``core.uploads.check_upload``, in the form); a photo's capture
    time comes from the facts read there, before the transaction."""
    person = person_of(user)
    files = []
    for upload in uploads:
        files.append(
            ProjectFile.objects.create(
                project=project,
                report=report,
                kind=kind,
                file=upload,
                original_name=upload.name[:255],
                caption=upload.name[:200],
                taken_at=facts_of(upload).taken_at if kind == ProjectFile.Kind.PHOTO else None,
                uploaded_by=person,
            )
        )
    return files


@transaction.atomic
def submit_report(
    user,
    project: Project,
    *,
    period_start: dt.date,
    narrative: str,
    progress: int,
    investment: Decimal = Decimal(0),
    problems: str = "",
    photos=(),
    problem_category=None,
    progress_drop_reason: str = "",
) -> ProgressReport:
    """File a progress report (进度填报) for the period containing ``period_start`` and
    recompute the project's light at once.

    A 形象进度 lower than the previous period's report needs a reason (stored and audited with
    the report); without one nothing is saved. With a problem category, the report's 存在问题
    becomes a tracked problem (supervision).
    """
    require(can_report_progress(user, project), _("您无权填报该项目的进度。"))
    t = Thresholds.current()
    period = period_containing(period_start, t.period_kind)
    previous = previous_report(project, period.start)
    dropped = previous is not None and progress < previous.progress
    progress_drop_reason = progress_drop_reason.strip() if dropped else ""
    if dropped and not progress_drop_reason:
        raise ValidationError({"progress_drop_reason": progress_drop_text(previous, t.period_kind)})
    report = ProgressReport(
        project=project,
        period_start=period.start,
        period_end=period.end,
        narrative=narrative,
        progress=progress,
        investment=investment,
        problems=problems,
        progress_drop_reason=progress_drop_reason,
        submitted_by=person_of(user),
        submitted_at=timezone.now(),
    )
    with audit_context(actor=user, action="submit_report"):
        with unique_write(
            f"{period.label()}已经填报过(可能是他人刚刚提交的),如需更正请联系管理员。", "period"
        ):
            report.save()
        attach_files(user, project, photos, ProjectFile.Kind.PHOTO, report=report)
    if problem_category is not None:
        from tuijin.supervision.services import raise_problems_from_report

        raise_problems_from_report(user, report, problem_category)
    refresh_lights([project])
    if period.due(t.due_days) < timezone.localdate():
        revise_period_light(project, period)
    return report


def previous_report(project: Project, period_start: dt.date) -> ProgressReport | None:
    """The report of the latest period before this one (what a new 形象进度 is compared with)."""
    return (
        ProgressReport.objects.filter(project=project, period_start__lt=period_start)
        .order_by("-period_start")
        .first()
    )


def progress_drop_text(previous: ProgressReport, kind: str) -> str:
    label = Period(previous.period_start, previous.period_end, kind).label()
    return f"形象进度低于上期({label}为{previous.progress}%),请填写进度回退原因。"


@transaction.atomic
def upload_files(user, project: Project, uploads, kind: str) -> list[ProjectFile]:
    """Photos or documents added to a project outside a progress report."""
    require(can_report_progress(user, project), _("您无权为该项目上传附件。"))
    with audit_context(actor=user, action="upload_files"):
        return attach_files(user, project, uploads, kind)


def is_late(report: ProgressReport, due_days: int) -> bool:
    return timezone.localtime(report.submitted_at).date() > report.period_end + dt.timedelta(
        days=due_days
    )
