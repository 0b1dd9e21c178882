"""Intake services: proposing writes nothing; confirming writes all ticked rows or none."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from tuijin.core.models import AuditEvent
from tuijin.intake import services
from tuijin.intake.models import IntakeDocument
from tuijin.intake.permissions import can_use_intake
from tuijin.org.models import Unit
from tuijin.projects.models import Enterprise, Project
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import Problem, ProblemCategory

# The stored copy of the source report, kept in the repository with the evaluation texts.
SEED = Path(__file__).resolve().parents[3] / "eval" / "intake" / "texts" / "00-suizhou-2022.txt"
REF = dt.date(2022, 11, 16)
TEXT = (
    "城东产业园,文帝学校、人才公寓、团结激光产业园等项目加速建设。\n"
    "人才公寓项目地块仍有两处违章建筑物在使用,当即限定:三天后一定要见到成效。\n"
    "青春化工园,犇星二期年产3万吨新能源电解液全力推进。\n"
    "依托黄鹤楼酒业、品源现代农业公司等龙头企业。\n"
    "招商引资项目研讨会破解土地指标短缺等瓶颈。"
)
PROJECTS = [
    ("文帝学校", "城东产业园", "九年一贯制学校"),
    ("人才公寓", "城东产业园", "人才公寓及配套"),
    ("团结激光产业园", "城东产业园", None),
    ("犇星二期年产3万吨新能源电解液", "青春化工园", "年产3万吨新能源电解液"),
    ("丰碑产业园", "西山产业园", None),
]


def fake_extract(projects=PROJECTS, enterprises=("黄鹤楼酒业", "品源现代农业公司"), problems=None):
    """An engine answer fixed by the test, so these tests check the services alone."""
    problems = ["两处违章建筑物在使用", "土地指标短缺"] if problems is None else problems

    def extract(text, reference_date=None):
        mentions = [SimpleNamespace(name=n, park=p, content=c) for n, p, c in projects]
        return SimpleNamespace(
            parks=list(dict.fromkeys(p for _n, p, _c in projects if p)),
            projects=mentions,
            enterprises=list(enterprises),
            people=[SimpleNamespace(name="郭晓东", title="党工委书记、管委会主任")],
            dates=["11月20日"],
            deadlines=["三天后"],
            problems=list(problems),
            resolved_deadlines=[("三天后", (reference_date or REF) + dt.timedelta(days=3))],
        )

    return extract


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(services, "extract", fake_extract())


def user(username):
    return get_user_model().objects.get(username=username)


def proposal_for(username, text=TEXT):
    return services.build_proposal(user(username), text, "utf-8", [], REF, "")


def counts():
    return (
        Project.objects.count(),
        Enterprise.objects.count(),
        Problem.objects.count(),
        IntakeDocument.objects.count(),
        AuditEvent.objects.count(),
    )


def row(proposal, name):
    return next(r for r in proposal.projects if r.name == name)


def category(name):
    return ProblemCategory.objects.get(name=name)


# --- proposing ---------------------------------------------------------------------------------


def test_proposing_writes_nothing(org, engine):
    before = counts()
    proposal = proposal_for("leader")
    assert len(proposal.projects) == 5
    assert counts() == before


def test_parks_map_to_units_and_unknown_parks_block_creation(org, engine):
    proposal = proposal_for("leader")
    assert {p.name: p.unit and p.unit.name for p in proposal.parks} == {
        "城东产业园": "城东产业园",
        "青春化工园": "青春化工园",
        "西山产业园": None,
    }
    assert "没有“西山产业园”这个园区" in row(proposal, "丰碑产业园").blocker
    assert row(proposal, "文帝学校").action == "create"
    assert row(proposal, "文帝学校").blocker == ""


def test_matched_projects_are_marked_with_the_record(org, engine):
    existing = make_project("犇星二期年产3万吨新能源电解液", park="青春化工园", content="已有内容")
    proposal = proposal_for("leader")
    match = row(proposal, "犇星二期年产3万吨新能源电解液").match
    assert (match.pk, match.percent) == (existing.pk, 100)
    assert row(proposal, "犇星二期年产3万吨新能源电解液").action == "exists"


def test_a_park_outside_the_users_units_cannot_take_a_new_project(org, engine):
    # The head of 城东产业园 may create there, not in 青春化工园.
    proposal = proposal_for("chengdong")
    assert row(proposal, "文帝学校").blocker == ""
    assert "不在您的管辖范围内" in row(proposal, "犇星二期年产3万吨新能源电解液").blocker


def test_roles_outside_the_ledger_editors_cannot_create_projects(org, engine):
    proposal = proposal_for("duban")
    assert "不能新建项目" in row(proposal, "文帝学校").blocker
    assert all("不能新建企业" in e.blocker for e in proposal.enterprises)


def test_a_problem_defaults_to_the_project_named_just_before_it(org, engine):
    proposal = proposal_for("leader")
    violation, land = proposal.problems
    assert violation.subject == row(proposal, "人才公寓").key
    assert violation.category_id == category("征迁与违建").pk
    # The land problem is paragraphs away from any project: no guess.
    assert land.subject == ""
    assert land.category_id == category("土地指标").pk


def test_the_text_is_cut_into_marked_segments(org, engine):
    marks = [
        services.Mark(0, 2, "traditional", "城東", "繁转简"),
        services.Mark(5, 6, "width", ",", "全角"),
    ]
    proposal = services.build_proposal(user("leader"), TEXT, "gb18030", marks, REF, "")
    segments = proposal.segments()
    assert "".join(text for text, _mark in segments) == TEXT
    assert [text for text, mark in segments if mark] == ["城东", TEXT[5]]
    assert [(kind, n) for kind, _label, n in proposal.legend()] == [
        ("traditional", 1),
        ("width", 1),
    ]


def test_a_forged_or_missing_payload_is_stale(org, engine):
    payload = proposal_for("leader").payload()
    with pytest.raises(services.StalePreview):
        services.proposal_from_payload(user("leader"), payload[:-3] + "xyz")
    with pytest.raises(services.StalePreview):
        services.proposal_from_payload(user("leader"), "")


# --- codes -------------------------------------------------------------------------------------


def test_a_new_code_continues_the_parks_series(org):
    make_project("甲", park="城东产业园", code="CD-006")
    make_project("乙", park="城东产业园", code="CD-002")
    assert services.next_project_code(Unit.objects.get(name="城东产业园")) == "CD-007"


def test_a_park_without_coded_projects_starts_from_its_pinyin_initials(org):
    assert services.next_project_code(Unit.objects.get(name="府南产业园")) == "FN-001"
    assert services.park_initials(Unit.objects.get(name="铁北产业园")) == "TB"


# --- confirming --------------------------------------------------------------------------------


def confirm(username, selection, proposal=None):
    proposal = proposal or proposal_for(username)
    return services.confirm(user(username), proposal.payload(), selection)


def test_confirming_creates_projects_enterprises_and_problems_with_audit(org, engine):
    make_project("已有项目", park="城东产业园", code="CD-004")
    proposal = proposal_for("leader")
    wendi, rencai = row(proposal, "文帝学校"), row(proposal, "人才公寓")
    selection = services.Selection(
        projects={wendi.index: None, rencai.index: "人才公寓两栋"},
        enterprises={0},
        problems={0: (rencai.key, category("征迁与违建"), "两处违章建筑物在使用")},
    )
    document = confirm("leader", selection, proposal)

    school = Project.objects.get(name="文帝学校")
    park = Unit.objects.get(name="城东产业园")
    assert (school.park, school.unit, school.code, school.content) == (
        park,
        park,
        "CD-005",
        "九年一贯制学校",
    )
    apartments = Project.objects.get(name="人才公寓")
    assert (apartments.code, apartments.content) == ("CD-006", "人才公寓两栋")
    enterprise = Enterprise.objects.get(name="黄鹤楼酒业")
    assert enterprise.unit.name == "随州高新区"  # the leader's own unit
    problem = Problem.objects.get(description="两处违章建筑物在使用")
    assert (problem.project, problem.source, problem.unit) == (
        apartments,
        Problem.Source.DIRECT,
        park,
    )
    leader = user("leader")
    events = AuditEvent.objects.filter(model="projects.project", object_id=str(school.pk))
    assert [(e.action, e.actor) for e in events] == [("intake", leader)]
    assert AuditEvent.objects.filter(
        model="projects.enterprise", object_id=str(enterprise.pk), action="intake"
    ).exists()
    assert AuditEvent.objects.filter(
        model="supervision.problem", object_id=str(problem.pk)
    ).exists()
    assert AuditEvent.objects.filter(model="intake.intakedocument", action="intake").exists()

    assert document.created_by.user == leader
    assert [(r["kind"], r["action"], r["name"]) for r in document.results] == [
        ("project", "create", "文帝学校"),
        ("project", "create", "人才公寓"),
        ("enterprise", "create", "黄鹤楼酒业"),
        ("problem", "create", "两处违章建筑物在使用"),
    ]
    assert document.results[0]["url"] == school.get_absolute_url()
    assert services.summary(document) == "已确认导入:新建项目2个、新建企业1家、登记问题1个。"


def test_an_error_in_a_late_row_saves_nothing(org, engine):
    proposal = proposal_for("leader")
    before = counts()
    wendi = row(proposal, "文帝学校")
    # The problem names a new project that is not ticked: fails after 文帝学校 was created.
    selection = services.Selection(
        projects={wendi.index: None},
        problems={0: (row(proposal, "人才公寓").key, category("征迁与违建"), "违建")},
    )
    with pytest.raises(services.RowError) as error:
        confirm("leader", selection, proposal)
    assert error.value.field == "problem-0-subject"
    assert "问题第1条" in error.value.message
    assert counts() == before


def test_a_database_error_in_the_middle_saves_nothing(org, engine, monkeypatch):
    from tuijin.supervision import services as supervision

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(supervision, "raise_problem", broken)
    proposal = proposal_for("leader")
    before = counts()
    wendi = row(proposal, "文帝学校")
    selection = services.Selection(
        projects={wendi.index: None},
        problems={0: (wendi.key, category("征迁与违建"), "违建")},
    )
    with pytest.raises(RuntimeError):
        confirm("leader", selection, proposal)
    assert counts() == before


def test_confirming_twice_does_not_duplicate(org, engine):
    proposal = proposal_for("leader")
    wendi = row(proposal, "文帝学校")
    selection = services.Selection(projects={wendi.index: None}, enterprises={0})
    confirm("leader", selection, proposal)
    document = confirm("leader", selection, proposal)  # the same preview submitted again
    assert Project.objects.filter(name="文帝学校").count() == 1
    assert Enterprise.objects.filter(name="黄鹤楼酒业").count() == 1
    assert [r["action"] for r in document.results] == ["exists", "exists"]


def test_a_project_created_meanwhile_is_not_created_again(org, engine):
    proposal = proposal_for("leader")  # previewed while 文帝学校 was new
    assert row(proposal, "文帝学校").action == "create"
    someone = make_project("文帝学校", park="城东产业园", unit="城东产业园", content="学校")
    document = confirm(
        "leader", services.Selection(projects={row(proposal, "文帝学校").index: None}), proposal
    )
    assert Project.objects.filter(name="文帝学校").count() == 1
    assert document.results[0]["pk"] == someone.pk
    assert document.results[0]["action"] == "exists"


def test_a_matched_project_only_gets_an_empty_content_filled(org, engine):
    empty = make_project("文帝学校", park="城东产业园", unit="城东产业园", content="")
    full = make_project("犇星二期年产3万吨新能源电解液", park="青春化工园", content="原有内容")
    proposal = proposal_for("leader")
    assert row(proposal, "文帝学校").action == "update"
    selection = services.Selection(
        projects={
            row(proposal, "文帝学校").index: None,
            row(proposal, "犇星二期年产3万吨新能源电解液").index: "新内容",
        }
    )
    document = confirm("leader", selection, proposal)
    empty.refresh_from_db()
    full.refresh_from_db()
    assert empty.content == "九年一贯制学校"
    assert full.content == "原有内容"
    assert [r["action"] for r in document.results] == ["update", "exists"]
    assert AuditEvent.objects.filter(
        model="projects.project", object_id=str(empty.pk), action="intake"
    ).exists()


def test_a_blocked_row_cannot_be_forced(org, engine):
    proposal = proposal_for("chengdong")
    before = counts()
    blocked = row(proposal, "犇星二期年产3万吨新能源电解液")
    with pytest.raises(services.RowError) as error:
        confirm("chengdong", services.Selection(projects={blocked.index: None}), proposal)
    assert error.value.field == f"project-{blocked.index}"
    assert "不在您的管辖范围内" in error.value.message
    assert counts() == before


def test_read_only_roles_cannot_confirm(org, engine):
    proposal = proposal_for("leader")
    with pytest.raises(services.RowError):
        services.confirm(user("jijian"), proposal.payload(), services.Selection(projects={0: None}))
    assert not can_use_intake(user("jijian"))
    assert not can_use_intake(user("qiye"))
    assert can_use_intake(user("jingfa_staff"))


# --- the real engine on the source report ------------------------------------------------------


def test_the_source_report_is_proposed_against_the_demo_zone(org):
    proposal = services.propose(user("leader"), SEED.read_bytes(), REF)
    assert {p.unit.name for p in proposal.parks if p.unit} == {
        "青春化工园",
        "城东产业园",
        "铁北产业园",
        "府南产业园",
    }
    assert len(proposal.projects) == 21
    assert all(r.action == "create" and not r.blocker for r in proposal.projects)
    assert {"郭晓东", "朱西胜", "陈俊杰"} <= {p.name for p in proposal.people}
    assert "隨" not in proposal.text and "(qū)" not in proposal.text
    assert proposal.marks and proposal.legend()
