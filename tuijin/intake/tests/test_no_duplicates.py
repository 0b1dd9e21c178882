"""L11 part 14, intake does not duplicate: a problem an open problem of the same project
already says is linked to it, not raised again; a deadline the text states ("三天后",
"本周五前", "12月20日前") is proposed as a 督办 item on the project named with it."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.intake import services
from tuijin.intake.extract import extract
from tuijin.org.models import Unit
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import Problem, ProblemCategory, SupervisionItem
from tuijin.supervision.services import raise_problem

REF = dt.date(2026, 12, 2)  # a Wednesday
AT_REF = dt.datetime(2026, 12, 2, 2, tzinfo=dt.UTC)
TEXT = (
    "城东产业园，人才公寓项目加速建设。\n"
    "人才公寓项目地块仍有两处违章建筑物在使用，当即限定：三天后一定要见到成效。\n"
)


def user(username):
    return get_user_model().objects.get(username=username)


def category(name="征迁与违建"):
    ProblemCategory.ensure_defaults()
    return ProblemCategory.objects.get(name=name)


@pytest.fixture
def apartments(org):
    return make_project("人才公寓", park="城东产业园", unit="城东产业园", content="人才公寓及配套")


def propose(username="leader", text=TEXT):
    return services.build_proposal(user(username), text, "utf-8", [], REF, "")


def confirm(selection, username="leader", text=TEXT):
    return services.confirm(user(username), propose(username, text).payload(), selection)


def violation(proposal):
    return next(p for p in proposal.problems if "违章" in p.text)


# --- problems ----------------------------------------------------------------------------------


def test_a_problem_open_on_the_project_is_linked_not_raised_again(apartments):
    existing = raise_problem(
        user("leader"),
        category=category(),
        description="人才公寓项目地块两处违章建筑物仍在使用",
        project=apartments,
    )
    with time_machine.travel(AT_REF, tick=False):
        proposal = propose()
        row = violation(proposal)
        assert row.existing is not None and row.existing.pk == existing.pk
        project_key = next(r.key for r in proposal.projects if r.name == "人才公寓项目")
        selection = services.Selection(problems={row.index: (project_key, category(), row.text)})
        document = confirm(selection)
    assert Problem.objects.filter(project=apartments).count() == 1
    assert [(r["kind"], r["action"], r["pk"]) for r in document.results] == [
        ("problem", "exists", existing.pk)
    ]
    assert services.summary(document) == "已确认导入:关联已有问题1个。"


def test_another_problem_or_a_resolved_one_is_raised(apartments):
    resolved = raise_problem(
        user("leader"),
        category=category(),
        description="两处违章建筑物在使用",
        project=apartments,
    )
    Problem.objects.filter(pk=resolved.pk).update(status=Problem.Status.RESOLVED)
    raise_problem(
        user("leader"),
        category=category("土地指标"),
        description="土地指标短缺",
        project=apartments,
    )
    with time_machine.travel(AT_REF, tick=False):
        proposal = propose()
        row = violation(proposal)
        assert row.existing is None  # the only one saying it is resolved
        project_key = next(r.key for r in proposal.projects if r.name == "人才公寓项目")
        selection = services.Selection(problems={row.index: (project_key, category(), row.text)})
        document = confirm(selection)
    assert document.results[0]["action"] == "create"
    assert Problem.objects.filter(project=apartments).count() == 3


# --- deadlines as 督办 items -------------------------------------------------------------------


def test_a_stated_deadline_is_proposed_as_an_item_on_the_matched_project(apartments):
    with time_machine.travel(AT_REF, tick=False):
        proposal = propose()
    (item,) = proposal.items
    assert (item.deadline_text, item.deadline) == ("三天后", dt.date(2026, 12, 5))
    assert item.project == apartments and item.lead_unit == apartments.unit
    assert item.result == "一定要见到成效"
    assert item.title == "人才公寓:一定要见到成效"
    assert "两处违章建筑物在使用" in item.sentence
    assert item.selectable and not item.note


def test_confirming_the_item_assigns_it_once(apartments):
    unit = Unit.objects.get(name="自然资源和规划分局")
    selection = services.Selection(
        items={0: ("人才公寓地块清表", "两处违章建筑拆除、场地清表", unit, dt.date(2026, 12, 5))}
    )
    with time_machine.travel(AT_REF, tick=False):
        document = confirm(selection)
        again = confirm(selection)  # the same preview sent twice
        assert propose().items[0].existing is not None  # and the text read again
    item = SupervisionItem.objects.get()
    assert (item.project, item.lead_unit, item.deadline) == (apartments, unit, dt.date(2026, 12, 5))
    assert item.assigner.user == user("leader")
    assert item.result_standard == "两处违章建筑拆除、场地清表"
    assert [(r["kind"], r["action"]) for r in document.results] == [("item", "create")]
    assert [(r["kind"], r["action"]) for r in again.results] == [("item", "exists")]
    assert AuditEvent.objects.filter(
        model="supervision.supervisionitem", object_id=str(item.pk), action="assign"
    ).exists()
    assert services.summary(document) == "已确认导入:交办督办事项1项。"


def test_only_assigners_may_turn_a_deadline_into_an_item(apartments):
    with time_machine.travel(AT_REF, tick=False):
        (item,) = propose("chengdong").items
    assert item.blocker == "只有区领导和督查人员可以交办督办事项。" and not item.selectable


def test_a_deadline_already_past_asks_for_a_new_date(apartments):
    with time_machine.travel(dt.datetime(2026, 12, 20, 2, tzinfo=dt.UTC), tick=False):
        (item,) = propose().items
    assert "已过" in item.note and item.selectable


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("本周五前", dt.date(2026, 12, 4)),
        ("下周一前", dt.date(2026, 12, 7)),
        ("12月20日前", dt.date(2026, 12, 20)),
        ("三天后", dt.date(2026, 12, 5)),
    ],
)
def test_deadlines_as_written_are_read(written, day):
    found = extract(f"人才公寓项目{written}完成清表。", reference_date=REF)
    assert (written, day) in found.resolved_deadlines


def test_the_preview_shows_the_item_and_the_confirmation_assigns_it(leader, apartments):
    raise_problem(
        user("leader"), category=category(), description="两处违章建筑物在使用", project=apartments
    )
    with time_machine.travel(AT_REF, tick=False):
        page = leader.post(reverse("intake:start"), {"text": TEXT, "reference_date": "2026-12-02"})
        html = page.content.decode()
        assert 'id="proposed-items"' in html and "三天后 → 2026年12月5日" in html
        assert "该项目已有相同的未解决问题" in html
        payload = page.context["form"]["payload"].value()
        response = leader.post(
            reverse("intake:confirm"),
            {
                "payload": payload,
                "item-0": "on",
                "item-0-title": "人才公寓地块清表",
                "item-0-result": "两处违章建筑拆除",
                "item-0-lead_unit": str(apartments.unit_id),
                "item-0-deadline": "2026-12-05",
            },
        )
    assert response.status_code == 302
    assert SupervisionItem.objects.get().project == apartments


def test_a_ticked_item_names_its_empty_fields(leader, apartments):
    with time_machine.travel(AT_REF, tick=False):
        page = leader.post(reverse("intake:start"), {"text": TEXT, "reference_date": "2026-12-02"})
        payload = page.context["form"]["payload"].value()
        response = leader.post(
            reverse("intake:confirm"),
            {"payload": payload, "item-0": "on", "item-0-title": "", "item-0-deadline": ""},
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "督办第1条:事项不能为空。" in html and "督办第1条:请选择牵头单位。" in html
    assert not SupervisionItem.objects.exists()


def test_each_deadline_gets_its_own_clause_and_the_project_of_its_sentence(apartments):
    benxing = make_project("犇星二期年产3万吨新能源电解液", park="青春化工园", unit="经济发展局")
    text = (
        TEXT
        + "青春化工园，犇星二期项目能耗指标不足，要求本周五前完成能评批复，12月20日前完成设备安装。\n"
    )
    with time_machine.travel(AT_REF, tick=False):
        proposal = propose(text=text)
    by_deadline = {row.deadline_text: row for row in proposal.items}
    friday, december = by_deadline["本周五前"], by_deadline["12月20日前"]
    assert (friday.deadline, friday.result, friday.project) == (
        dt.date(2026, 12, 4),
        "完成能评批复",
        benxing,
    )
    assert (december.result, december.lead_unit.name) == ("完成设备安装", "经济发展局")
    assert by_deadline["三天后"].project == apartments
    # A problem that begins with its project's name belongs to that project.
    energy = next(p for p in proposal.problems if "能耗" in p.text)
    assert energy.subject == next(r.key for r in proposal.projects if r.name.startswith("犇星"))
