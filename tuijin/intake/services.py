"""Intake (文本录入, DESIGN §5): a text becomes proposed records, and confirmed rows become records.

``propose`` repairs and reads a text and matches what it names to records the user can see;
nothing is written. ``confirm`` writes the rows a person ticked, in one transaction (all or
nothing), matching again first so that a record created meanwhile is not created twice.

Decisions:
- A new project's responsible unit (责任单位) is its park: the park office answers for a
  project in its park until the ledger reassigns it. A user may create a project only in a park
  among their ``visible_units``, so the project they create is one they can see and edit.
- Its code continues the park's series in the ledger (``QC-009`` → ``QC-010``); a park without
  coded projects starts one from the pinyin initials of its name (城东产业园 → ``CD-001``).
- A matched project is never overwritten: only an empty 建设内容 is filled.
- A new enterprise belongs to the unit of the person who confirmed it.
- Creating projects or enterprises needs the ledger editors' right (``can_create_project``);
  any writer may raise problems.
- People and dates are shown for reference; no person record is created from a text.
- Nothing twice: a problem that an open problem of the same project (or enterprise) already
  says is linked to it, not raised again; a deadline the text states ("三天后", "本周五前",
  "12月20日前") is proposed as a 督办 item on the project named with it, unless an open item
  of that project with the same deadline says the same.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tuijin.core.audit import audit_context
from tuijin.intake import matching
from tuijin.intake.extract import extract
from tuijin.intake.extract.mentions import CONFIDENT
from tuijin.intake.models import IntakeDocument
from tuijin.intake.permissions import can_use_intake
from tuijin.intake.repair import IntakeError, repair
from tuijin.org.access import home_unit, person_of, visible_units
from tuijin.org.models import Unit, UnitKind
from tuijin.projects import services as ledger
from tuijin.projects.models import Enterprise, Project
from tuijin.projects.permissions import can_create_project, can_edit_project
from tuijin.supervision.models import Problem, ProblemCategory

__all__ = [
    "IntakeError",
    "RowError",
    "StalePreview",
    "can_use_intake",
    "confirm",
    "proposal_from_payload",
    "propose",
]

PAYLOAD_SALT = "tuijin.intake.preview"
PAYLOAD_MAX_AGE = 24 * 3600  # a preview left open overnight must be submitted again
KIND_LABELS = {  # the legend's words, as the repair engine labels each kind
    "mojibake": "乱码还原",
    "pinyin": "删除拼音注音",
    "punctuation": "重复标点",
    "traditional": "繁转简",
    "width": "全半角统一",
}
# Words of a problem that point to a category whose name they do not contain.
CATEGORY_HINTS = {
    "违章": "征迁与违建",
    "违建": "征迁与违建",
    "拆迁": "征迁与违建",
    "征地": "土地指标",
    "用地": "土地指标",
    "电力": "水电气",
    "供水": "水电气",
    "招工": "用工",
    "融资": "资金",
}
ACTION = "intake"  # the audit verb of everything one confirmation writes
CODE_PATTERN = re.compile(r"^([A-Z]+)-(\d+)$")


class StalePreview(Exception):
    """The preview's hidden payload is missing, forged or too old."""


class RowError(Exception):
    """A row of the confirmation cannot be done; ``field`` is the form field it names."""

    def __init__(self, field_name: str | None, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


# --- the proposal -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One repair, as a span of the repaired text."""

    start: int
    end: int
    kind: str
    before: str
    label: str

    @property
    def title(self) -> str:
        """The tooltip: what the input had here (deleted pinyin leaves an empty span)."""
        verb = "删除了" if self.start == self.end else "原为"
        return f"{verb}“{self.before}”· {self.label}"


@dataclass
class ParkRow:
    name: str
    unit: Unit | None
    allowed: bool  # the user may create projects in it


@dataclass
class ProjectRow:
    index: int
    name: str
    park_name: str | None
    content: str
    park: Unit | None
    match: matching.Match | None
    blocker: str = ""  # why it cannot be created or updated
    action: str = "create"  # create | update (fill 建设内容) | exists
    positions: list[int] = field(default_factory=list)
    reason: str = ""  # the cue that proposed it ("列举于“…等项目”", "含产能“年产3万吨”")
    confidence: float = 1.0
    aliases: list[str] = field(default_factory=list)  # other spellings in the text

    @property
    def key(self) -> str:
        return f"p:{self.index}"

    @property
    def likely(self) -> bool:
        """Shown among the projects; below CONFIDENT, apart as 可能的项目."""
        return self.confidence >= CONFIDENT

    @property
    def percent(self) -> int:
        return round(100 * self.confidence)

    @property
    def selectable(self) -> bool:
        return not self.blocker and self.action != "exists"


@dataclass
class EnterpriseRow:
    index: int
    name: str
    match: matching.Match | None
    blocker: str = ""
    positions: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"e:{self.index}"

    @property
    def action(self) -> str:
        return "exists" if self.match else "create"

    @property
    def selectable(self) -> bool:
        return not self.blocker and self.match is None


@dataclass
class ProblemRow:
    index: int
    text: str
    subject: str  # default subject key ("p:3", "e:0") or ""
    category_id: int | None
    existing: matching.Match | None = None  # an open problem of that subject saying the same


@dataclass
class ItemRow:
    """A deadline the text states, proposed as a 督办 item (交办) on the project named with it."""

    index: int
    deadline_text: str  # as written: 三天后
    deadline: dt.date | None
    sentence: str
    result: str  # the clause that holds the deadline, without it: 完成人才公寓地块清表
    project: Project | None
    lead_unit: Unit | None
    existing: matching.Match | None = None
    blocker: str = ""
    note: str = ""  # what the person must look at before confirming

    @property
    def key(self) -> str:
        return f"i:{self.index}"

    @property
    def title(self) -> str:
        name = self.project.name if self.project else ""
        return f"{name}:{self.result}"[:200] if name else self.result[:200]

    @property
    def selectable(self) -> bool:
        return not self.blocker and self.existing is None


@dataclass
class Proposal:
    text: str
    encoding: str
    marks: list[Mark]
    reference_date: dt.date
    source_name: str
    parks: list[ParkRow]
    projects: list[ProjectRow]
    enterprises: list[EnterpriseRow]
    problems: list[ProblemRow]
    items: list[ItemRow]
    people: list
    dates: list[str]
    deadlines: list[tuple[str, dt.date | None]]
    units: object = None  # the units a proposed 督办 item may be given to (visible_units)

    def segments(self) -> list[tuple[str, Mark | None]]:
        """The text cut into plain runs and repaired runs, for highlighting."""
        out, pos = [], 0
        for mark in sorted(self.marks, key=lambda m: (m.start, m.end)):
            if mark.start < pos or mark.end > len(self.text) or mark.end < mark.start:
                continue  # overlapping or out of range: leave unmarked
            if mark.start > pos:
                out.append((self.text[pos : mark.start], None))
            out.append((self.text[mark.start : mark.end], mark))
            pos = mark.end
        if pos < len(self.text):
            out.append((self.text[pos:], None))
        if out and out[0][1] is None:  # no blank first line in the box
            out[0] = (out[0][0].lstrip("\r\n"), None)
        return out

    def legend(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) per kind of repair, in a stable order."""
        counts = Counter(m.kind for m in self.marks)
        labels = {m.kind: m.label for m in self.marks}
        order = [*KIND_LABELS, *sorted(set(counts) - set(KIND_LABELS))]
        return [
            (kind, KIND_LABELS.get(kind) or labels.get(kind, kind), counts[kind])
            for kind in order
            if counts[kind]
        ]

    def subject_choices(self) -> list:
        """Choices for a problem's project or enterprise: the records named in the text."""
        projects = [
            (row.key, f"{row.match.name if row.match else row.name}{_state(row)}")
            for row in self.projects
        ]
        enterprises = [
            (row.key, f"{row.match.name if row.match else row.name}{_state(row)}")
            for row in self.enterprises
        ]
        choices = [("", "—— 请选择 ——")]
        if projects:
            choices.append(("项目", projects))
        if enterprises:
            choices.append(("企业", enterprises))
        return choices

    def payload(self) -> str:
        """What the confirmation needs, signed so it comes back exactly as previewed."""
        data = {
            "text": self.text,
            "encoding": self.encoding,
            "marks": [[m.start, m.end, m.kind, m.before, m.label] for m in self.marks],
            "ref": self.reference_date.isoformat(),
            "source": self.source_name,
        }
        return signing.dumps(data, salt=PAYLOAD_SALT, compress=True)

    @property
    def title(self) -> str:
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        title = first[:40] + ("…" if len(first) > 40 else "")
        return self.source_name or title or "文本录入"


def _state(row) -> str:
    if row.match:
        return "(已有)"
    return "(新建)" if not row.blocker else "(无法新建)"


def propose(user, data: bytes | str, reference_date: dt.date, source_name: str = "") -> Proposal:
    """Repair and read a text, and match it to the user's records. Raises IntakeError."""
    repaired = repair(data)
    if not repaired.text.strip():
        raise IntakeError("文本为空:没有可识别的内容。")
    marks = [Mark(c.start, c.end, c.kind, c.before, c.label) for c in repaired.changes]
    return build_proposal(
        user, repaired.text, repaired.encoding, marks, reference_date, source_name
    )


def proposal_from_payload(user, payload: str) -> Proposal:
    """The previewed text again, matched again now (records may have changed since)."""
    try:
        data = signing.loads(payload or "", salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
        marks = [Mark(*m) for m in data["marks"]]
        reference_date = dt.date.fromisoformat(data["ref"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise StalePreview("预览已失效或已过期,请重新提交文本。") from exc
    return build_proposal(
        user, data["text"], data["encoding"], marks, reference_date, data.get("source", "")
    )


def build_proposal(user, text, encoding, marks, reference_date, source_name) -> Proposal:
    found = extract(text, reference_date=reference_date)
    allowed_units = set(visible_units(user).values_list("pk", flat=True))
    may_create = can_create_project(user)

    park_names = list(dict.fromkeys([*found.parks, *(p.park for p in found.projects if p.park)]))
    park_units = matching.match_parks(user, park_names)
    parks = [
        ParkRow(name, unit, unit is not None and unit.pk in allowed_units)
        for name, unit in park_units.items()
        if name in found.parks
    ]

    candidates = matching.project_candidates(user)
    projects = []
    for index, mention in enumerate(found.projects):
        park = park_units.get(mention.park) if mention.park else None
        row = ProjectRow(
            index=index,
            name=mention.name,
            park_name=mention.park,
            content=mention.content or "",
            park=park,
            match=matching.match_project(mention.name, park, candidates),
            positions=_positions(text, mention.name),
            reason=getattr(mention, "reason", ""),
            confidence=getattr(mention, "confidence", 1.0),
            aliases=list(getattr(mention, "aliases", [])),
        )
        projects.append(row)
    _judge_projects(user, projects, allowed_units, may_create)

    enterprise_candidates = matching.enterprise_candidates(user)
    enterprises = []
    for index, name in enumerate(found.enterprises):
        row = EnterpriseRow(
            index=index,
            name=name,
            match=matching.match_enterprise(name, enterprise_candidates),
            positions=_positions(text, name),
        )
        if row.match is None:
            if not may_create:
                row.blocker = "您的角色不能新建企业(企业由区领导和单位人员维护)。"
            elif Enterprise.objects.filter(name=name).exists():
                row.blocker = "同名企业已由其他单位登记,您无权查看,请联系其责任单位。"
        enterprises.append(row)

    categories = list(ProblemCategory.objects.order_by("sort_order", "name"))
    problems = [
        ProblemRow(
            index=index,
            text=problem,
            subject=_nearest_subject(text, problem, projects),
            category_id=_guess_category(problem, categories),
        )
        for index, problem in enumerate(found.problems)
    ]
    matched = {
        p.pk: p
        for p in Project.objects.visible_to(user)
        .select_related("unit")
        .filter(pk__in=[r.match.pk for r in projects if r.match])
    }
    by_key = {row.key: row for row in [*projects, *enterprises]}
    for row in problems:
        subject = by_key.get(row.subject)
        if subject is not None and subject.match is not None:
            kind = "project" if row.subject.startswith("p:") else "enterprise"
            record = matched.get(subject.match.pk) if kind == "project" else subject.match.pk
            if record is not None:
                row.existing = matching.match_problem(user, row.text, **{kind: record})
    items = _propose_items(user, text, found.resolved_deadlines, projects, matched)
    return Proposal(
        text=text,
        encoding=encoding,
        marks=marks,
        reference_date=reference_date,
        source_name=source_name,
        parks=parks,
        projects=projects,
        enterprises=enterprises,
        problems=problems,
        items=items,
        people=list(found.people),
        dates=list(found.dates),
        deadlines=list(found.resolved_deadlines),
        units=visible_units(user),
    )


def _judge_projects(user, rows, allowed_units, may_create) -> None:
    """Set each row's action and, when it cannot be done, the reason (in Chinese)."""
    matched = {
        p.pk: p
        for p in Project.objects.select_related("unit").filter(
            pk__in=[r.match.pk for r in rows if r.match]
        )
    }
    for row in rows:
        if row.match:
            project = matched.get(row.match.pk)
            if project is None:
                continue
            if project.content.strip() or not row.content:
                row.action = "exists"
            elif not can_edit_project(user, project):
                row.action, row.blocker = "exists", "已在台账中;您无权修改该项目。"
            else:
                row.action = "update"
            continue
        if row.park_name is None:
            row.blocker = "文中未写明所属园区,无法新建。"
        elif row.park is None:
            row.blocker = f"系统中没有“{row.park_name}”这个园区,无法新建。"
        elif not may_create:
            row.blocker = "您的角色不能新建项目(台账由区领导和单位人员维护)。"
        elif row.park.pk not in allowed_units:
            row.blocker = f"“{row.park.name}”不在您的管辖范围内,不能在该园区新建项目。"


SENTENCE_END = "\u3002\uff01\uff1f!?\uff1b;\n"  # 。！？!?；;
CLAUSE_END = "\uff0c,\uff1b;\uff1a: "  # ，,；;：:
RESULT_LEAD = ("要", "须", "必须", "务必", "确保", "力争", "争取", "前", "内", "要求", "以前")


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((text.rfind(c, 0, start) for c in SENTENCE_END), default=-1) + 1
    rights = [i for c in SENTENCE_END if (i := text.find(c, end)) >= 0]
    return left, min(rights, default=len(text))


def _result_of(sentence: str, deadline_text: str) -> str:
    """The clause holding the deadline, without it and its lead words: "三天内完成人才公寓地块
    清表" → "完成人才公寓地块清表" (the 成效标准 proposed; the person edits it)."""
    at = sentence.find(deadline_text)
    after = sentence[at + len(deadline_text) :] if at >= 0 else sentence
    clause = re.split(f"[{CLAUSE_END}]", after.strip(CLAUSE_END), maxsplit=1)[0]
    for lead in RESULT_LEAD:
        clause = clause.removeprefix(lead)
    if len(clause) < 2:  # the deadline closes its clause: "…清表,三天为限" → the text before
        before = sentence[:at] if at >= 0 else ""
        parts = [p for p in re.split(f"[{CLAUSE_END}]", before) if p.strip()]
        clause = parts[-1] if parts else sentence
    return clause.strip()[:500]


def _propose_items(user, text, deadlines, projects, matched) -> list[ItemRow]:
    """Each stated deadline as a proposed 督办 item on the (existing) project named in its
    sentence, else the nearest one named before it in its paragraph or the one before."""
    from tuijin.supervision.permissions import can_assign_items

    may_assign = can_assign_items(user)
    today = timezone.localdate()
    rows = []
    for index, (deadline_text, day) in enumerate(deadlines):
        at = text.find(deadline_text)
        if at < 0:
            continue
        left, right = _sentence_span(text, at, at + len(deadline_text))
        known = [row for row in projects if row.match and row.match.pk in matched]
        in_sentence = [row for row in known if any(left <= p < right for p in row.positions)]
        if in_sentence:
            subject = in_sentence[0]
        else:
            key = _nearest_subject(text, text[left:right], known)
            subject = next((row for row in known if row.key == key), None)
        project = matched[subject.match.pk] if subject else None
        sentence = text[left:right].strip()
        row = ItemRow(
            index=index,
            deadline_text=deadline_text,
            deadline=day,
            sentence=sentence[:1000],
            result=_result_of(sentence, deadline_text),
            project=project,
            lead_unit=project.unit if project else None,
        )
        if not may_assign:
            row.blocker = "只有区领导和督查人员可以交办督办事项。"
        elif day is None:
            row.note = "无法从文中推算出期限日期,请填写办理期限。"
        elif day < today:
            row.note = (
                f"按文中推算的期限({day.year}年{day.month}月{day.day}日)已过,请改填办理期限。"
            )
        row.existing = matching.match_item(user, [row.sentence, row.result], project, day)
        rows.append(row)
    return rows


def _positions(text: str, name: str) -> list[int]:
    if not name:
        return []
    return [m.start() for m in re.finditer(re.escape(name), text)]


def _nearest_subject(text: str, problem: str, projects: list[ProjectRow]) -> str:
    """The project named last before the problem, in its paragraph or the one before."""
    at = text.find(problem)
    if at < 0:
        at = text.find(problem[:4]) if len(problem) >= 4 else -1
    if at < 0:
        return ""
    paragraph_start = text.rfind("\n", 0, at)
    window_start = text.rfind("\n", 0, max(paragraph_start, 0)) if paragraph_start > 0 else 0
    best, best_pos = "", -1
    for row in projects:
        for pos in row.positions:
            # A problem may begin with its project's name ("犇星二期项目能耗指标不足").
            if max(window_start, 0) <= pos <= at and pos > best_pos:
                best, best_pos = row.key, pos
    return best


def _guess_category(problem: str, categories) -> int | None:
    by_name = {c.name: c.pk for c in categories}
    for category in categories:
        if category.name in problem or category.name[:2] in problem:
            return category.pk
    for word, name in CATEGORY_HINTS.items():
        if word in problem and name in by_name:
            return by_name[name]
    return by_name.get("其他")


# --- the confirmation -------------------------------------------------------------------------


@dataclass
class Selection:
    """The ticked rows: project index → 建设内容 as typed (None: as proposed), enterprise
    indexes, problem index → (subject key, category, description)."""

    projects: dict[int, str | None] = field(default_factory=dict)
    enterprises: set[int] = field(default_factory=set)
    problems: dict[int, tuple[str, ProblemCategory, str]] = field(default_factory=dict)
    # item index → (事项, 成效标准, lead unit, deadline) as the person confirmed them
    items: dict[int, tuple[str, str, Unit, dt.date]] = field(default_factory=dict)


def confirm(user, payload: str, selection: Selection) -> IntakeDocument:
    """Create and update what was ticked, all or nothing. Raises RowError or StalePreview."""
    if not can_use_intake(user):
        raise RowError(None, "您的角色不能使用文本录入。")
    with transaction.atomic(), audit_context(actor=user, action=ACTION):
        # Match again inside the transaction: what exists now decides create or not.
        proposal = proposal_from_payload(user, payload)
        _lock_parks(proposal, selection)
        results, touched = [], []
        subjects = {}
        for index, content in sorted(selection.projects.items()):
            row = proposal.projects[index]
            project, result = _apply_project(user, row, content)
            subjects[row.key] = project
            results.append(result)
            touched.append(project)
        for index in sorted(selection.enterprises):
            row = proposal.enterprises[index]
            enterprise, result = _apply_enterprise(user, row)
            subjects[row.key] = enterprise
            results.append(result)
        for index, (key, category, description) in sorted(selection.problems.items()):
            subject = _subject(user, proposal, key, subjects, index)
            results.append(_problem(user, subject, category, description, index))
        for index, values in sorted(selection.items.items()):
            results.append(_assign(user, _item_row(proposal, index), *values))
        ledger.refresh_lights(touched)
        return IntakeDocument.objects.create(
            title=proposal.title[:200],
            source_name=proposal.source_name[:200],
            encoding=proposal.encoding[:30],
            text=proposal.text,
            repairs=len(proposal.marks),
            reference_date=proposal.reference_date,
            results=results,
            unit=_owner_unit(user),
            created_by=person_of(user),
        )


def _lock_parks(proposal: Proposal, selection: Selection) -> None:
    """Serialise intakes creating projects in the same parks (PostgreSQL; SQLite already is)."""
    park_ids = {proposal.projects[i].park.pk for i in selection.projects if _park_of(proposal, i)}
    if park_ids:
        list(Unit.objects.select_for_update().filter(pk__in=park_ids).values_list("pk"))


def _park_of(proposal: Proposal, index: int):
    if index >= len(proposal.projects):
        raise StalePreview("预览已失效,请重新提交文本。")
    return proposal.projects[index].park


def _row_label(row) -> str:
    return f"项目第{row.index + 1}行“{row.name}”"


def _apply_project(user, row: ProjectRow, content: str | None):
    field_name = f"project-{row.index}"
    content = (row.content if content is None else content).strip()
    if row.match:
        project = Project.objects.select_related("unit").get(pk=row.match.pk)
        if not project.content.strip() and content:
            if not can_edit_project(user, project):
                raise RowError(field_name, f"{_row_label(row)}:您无权修改该项目。")
            ledger.update_project(user, project, content=content, action=ACTION, refresh=False)
            return project, _result("project", "update", project, "补充了建设内容")
        return project, _result("project", "exists", project, "已在台账中,未重复创建")
    if row.blocker:
        raise RowError(field_name, f"{_row_label(row)}:{row.blocker}")
    project = ledger.create_project(
        user,
        code=next_project_code(row.park),
        name=row.name[:200],
        park=row.park,
        unit=row.park,
        content=content,
        action=ACTION,
        refresh=False,
    )
    return project, _result("project", "create", project, f"编号 {project.code}")


def _apply_enterprise(user, row: EnterpriseRow):
    if row.match:
        enterprise = Enterprise.objects.get(pk=row.match.pk)
        return enterprise, _result("enterprise", "exists", enterprise, "已登记,未重复创建")
    if row.blocker:
        raise RowError(
            f"enterprise-{row.index}", f"企业第{row.index + 1}行“{row.name}”:{row.blocker}"
        )
    try:
        enterprise = ledger.create_enterprise(
            user, name=row.name[:200], unit=_owner_unit(user), action=ACTION
        )
    except ValidationError as error:  # registered by someone else since the preview
        raise RowError(
            f"enterprise-{row.index}",
            f"企业第{row.index + 1}行“{row.name}”:{' '.join(error.messages)}",
        ) from None
    return enterprise, _result("enterprise", "create", enterprise, "")


def _subject(user, proposal: Proposal, key: str, subjects: dict, index: int):
    """The project or enterprise a problem belongs to, by its row key."""
    field_name = f"problem-{index}-subject"
    label = f"问题第{index + 1}条"
    if key in subjects:
        return subjects[key]
    kind, _sep, number = key.partition(":")
    rows = {"p": proposal.projects, "e": proposal.enterprises}.get(kind)
    if rows is None or not number.isdigit() or int(number) >= len(rows):
        raise RowError(field_name, f"{label}:请选择问题所属的项目或企业。")
    row = rows[int(number)]
    if row.match is None:
        raise RowError(
            field_name,
            f"{label}:所选“{row.name}”尚未在系统中,请同时勾选导入它,或改选已有的项目或企业。",
        )
    model = Project if kind == "p" else Enterprise
    subject = model.objects.visible_to(user).filter(pk=row.match.pk).first()
    if subject is None:
        raise RowError(field_name, f"{label}:所选项目或企业不存在或您无权查看。")
    return subject


def _problem(user, subject, category, description: str, index: int) -> dict:
    """Raise the problem, or link to the open problem of the subject that says the same."""
    kind = "project" if isinstance(subject, Project) else "enterprise"
    same = matching.match_problem(user, description, **{kind: subject})
    if same is not None:
        problem = Problem.objects.get(pk=same.pk)
        return _result("problem", "exists", problem, "与已有问题相同,已关联,未重复登记")
    problem = _raise(user, subject, category, description, index)
    return _result("problem", "create", problem, problem.description[:60])


def _item_row(proposal: Proposal, index: int) -> ItemRow:
    if index >= len(proposal.items):
        raise StalePreview("预览已失效,请重新提交文本。")
    return proposal.items[index]


def _assign(user, row: ItemRow, title: str, result: str, lead_unit, deadline) -> dict:
    """交办 the stated deadline as a 督办 item on its project (matched again just now)."""
    from tuijin.supervision.models import SupervisionItem
    from tuijin.supervision.services import ItemError, assign_item

    field_name, label = f"item-{row.index}", f"督办第{row.index + 1}条“{row.deadline_text}”"
    same = matching.match_item(user, [row.sentence, title, result], row.project, deadline)
    if same is not None:
        item = SupervisionItem.objects.get(pk=same.pk)
        return _result("item", "exists", item, "与已有督办事项相同,未重复交办")
    if row.blocker:
        raise RowError(field_name, f"{label}:{row.blocker}")
    try:
        item, _warning = assign_item(
            user,
            title=title,
            requirement=row.sentence,
            result_standard=result,
            lead_unit=lead_unit,
            project=row.project,
            deadline_mode="date",
            deadline_date=deadline,
        )
    except (ItemError, PermissionDenied) as error:
        raise RowError(field_name, f"{label}:{error}") from error
    return _result(
        "item", "create", item, f"期限{deadline.year}年{deadline.month}月{deadline.day}日"
    )


def _raise(user, subject, category, description: str, index: int):
    from tuijin.supervision.services import ItemError, raise_problem

    kwargs = {"project": subject} if isinstance(subject, Project) else {"enterprise": subject}
    try:
        return raise_problem(
            user,
            category=category,
            description=description,
            source=Problem.Source.DIRECT,
            **kwargs,
        )
    except ItemError as error:
        raise RowError(f"problem-{index}-text", f"问题第{index + 1}条:{error}") from error


def _result(kind: str, action: str, record, note: str) -> dict:
    return {
        "kind": kind,
        "action": action,
        "pk": record.pk,
        "name": str(record)[:200],
        "url": record.get_absolute_url(),
        "note": note,
    }


def _owner_unit(user) -> Unit:
    """The unit that answers for what a user records: their own unit (their zone if none)."""
    person = person_of(user)
    if person is not None:
        return person.unit
    return home_unit(user) or Unit.objects.filter(kind=UnitKind.ZONE).order_by("path").first()


def park_initials(park: Unit) -> str:
    """城东产业园 → CD: the pinyin initials of the park's name without the zone's prefixes."""
    from pypinyin import Style, lazy_pinyin  # slow to import (pinyin_key, projects/models.py)

    name = matching.normalize_park(park.short_name or park.name, matching._park_prefixes([park]))
    letters = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    letters = re.sub(r"[^A-Za-z]", "", letters).upper()
    return letters[:2] or "XM"


def next_project_code(park: Unit) -> str:
    """The next free code of the park's series: QC-009 → QC-010."""
    prefixes = Counter(
        m.group(1)
        for code in Project.objects.filter(park=park).values_list("code", flat=True)
        if (m := CODE_PATTERN.match(code))
    )
    prefix = prefixes.most_common(1)[0][0] if prefixes else park_initials(park)
    numbers = [
        int(m.group(2))
        for code in Project.objects.filter(code__startswith=f"{prefix}-").values_list(
            "code", flat=True
        )
        if (m := CODE_PATTERN.match(code)) and m.group(1) == prefix
    ]
    number = max(numbers, default=0) + 1
    while Project.objects.filter(code=f"{prefix}-{number:03d}").exists():
        number += 1
    return f"{prefix}-{number:03d}"


def summary(document: IntakeDocument) -> str:
    """The success message after a confirmation, in Chinese."""
    counts = Counter((r["kind"], r["action"]) for r in document.results)
    parts = [
        f"{label}{counts[key]}{unit}"
        for key, label, unit in [
            (("project", "create"), "新建项目", "个"),
            (("project", "update"), "补充项目", "个"),
            (("project", "exists"), "已有项目", "个"),
            (("enterprise", "create"), "新建企业", "家"),
            (("enterprise", "exists"), "已有企业", "家"),
            (("problem", "create"), "登记问题", "个"),
            (("problem", "exists"), "关联已有问题", "个"),
            (("item", "create"), "交办督办事项", "项"),
            (("item", "exists"), "已有督办事项", "项"),
        ]
        if counts[key]
    ]
    return "已确认导入:" + "、".join(parts) + "。"
