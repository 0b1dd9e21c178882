"""Meeting pages: who may see and edit, the agenda adopted from the proposal, decisions that
become 督办 items linked both ways, refusals that keep the input, the documents, the calendar."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tuijin.meetings.models import Attendance, Decision, Meeting, MeetingKind
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Light
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import Problem, SupervisionItem
from tuijin.supervision.tests.factories import category, make_item

SATURDAY = dt.date(2026, 11, 28)


def unit(name) -> Unit:
    return Unit.objects.get(name=name)


def at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def onsite(park="青春化工园", invited=("经济发展局",), day=SATURDAY, **fields) -> Meeting:
    meeting = Meeting.objects.create(
        kind=fields.pop("kind", MeetingKind.ONSITE),
        title=fields.pop("title", f"{day.month}月{day.day}日现场办公会({park})"),
        starts_at=at(day),
        place=park,
        park=unit(park),
        chair=Person.objects.get(user__username="leader"),
        **fields,
    )
    meeting.invited_units.set(Unit.objects.filter(name__in=invited))
    return meeting


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def decision_data(**overrides):
    data = {
        "decision-text": "自然资源和规划分局牵头,三天内完成人才公寓地块清表",
        "decision-lead_unit": unit("自然资源和规划分局").pk,
        "decision-co_units": [unit("城东产业园").pk],
        "decision-result_standard": "人才公寓地块清表完成",
        "decision-deadline_mode": "calendar",
        "decision-deadline_days": "3",
        "decision-deadline_date": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Access ------------------------------------------------------------------------------------


def test_leader_schedules_an_onsite_meeting_at_a_park(leader):
    response = leader.post(
        reverse("meetings:meeting_create"),
        {
            "kind": MeetingKind.ONSITE,
            "title": "城东产业园现场办公会",
            "starts_at": "2026-11-28T09:00",
            "park": unit("城东产业园").pk,
            "place": "",
            "video_link": "",
            "chair": Person.objects.get(user__username="leader").pk,
            "invited_units": [unit("自然资源和规划分局").pk, unit("住建局").pk],
        },
    )
    meeting = Meeting.objects.get(title="城东产业园现场办公会")
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.place == "城东产业园"  # the park's name when no place is typed
    assert timezone.localtime(meeting.starts_at) == at(SATURDAY)
    assert set(meeting.invited_units.values_list("name", flat=True)) == {
        "自然资源和规划分局",
        "住建局",
    }


def test_supervisor_may_schedule_and_unit_staff_may_not(supervisor, staff):
    assert supervisor.get(reverse("meetings:meeting_create")).status_code == 200
    assert staff.get(reverse("meetings:meeting_create")).status_code == 403
    assert staff.post(reverse("meetings:meeting_create"), {"title": "x"}).status_code == 403


def test_a_meeting_without_a_place_is_refused_with_the_input_kept(leader):
    response = leader.post(
        reverse("meetings:meeting_create"),
        {"kind": MeetingKind.OTHER, "title": "专题协调会", "starts_at": "2026-11-30T15:00"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写地点、选择园区或填写视频会议链接。" in html
    assert 'value="专题协调会"' in html and 'value="2026-11-30T15:00"' in html
    assert not Meeting.objects.exists()


def test_unit_staff_see_a_meeting_their_unit_is_invited_to_but_cannot_edit_it(staff):
    meeting = onsite(invited=("经济发展局",))
    problem = meeting_problem("青春化工园")
    response = staff.get(meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert meeting.title in html
    assert 'id="accept-agenda"' not in html and 'id="decision-form"' not in html
    for name, args, data in [
        ("agenda_save", (), {"agenda-version": 1, "agenda-text": "议程"}),
        ("minutes_save", (), {"minutes-version": 1, "minutes-text": "纪要"}),
        ("decision_add", (), decision_data()),
        ("attendance_save", (), {}),
        ("problem_resolve", (problem.pk,), {f"resolve-{problem.pk}-resolution": "已解决"}),
    ]:
        assert staff.post(url(name, meeting, *args), data).status_code == 403, name
    assert not Decision.objects.exists() and not SupervisionItem.objects.exists()
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.minutes) == ("", "")


def test_a_unit_not_invited_gets_404(outsider):
    meeting = onsite(park="青春化工园", invited=("经济发展局",))
    assert outsider.get(meeting.get_absolute_url()).status_code == 404
    assert outsider.get(url("minutes_docx", meeting)).status_code == 404
    response = outsider.post(url("agenda_save", meeting), {"agenda-version": 1})
    assert response.status_code == 404


# --- Agenda and minutes -----------------------------------------------------------------------


def meeting_problem(park, description="两处违建仍在使用") -> Problem:
    project = make_project("人才公寓", park=park, unit="自然资源和规划分局", light=Light.RED)
    return Problem.objects.create(
        project=project,
        unit=project.unit,
        category=category("征迁与违建"),
        description=description,
        raised_at=timezone.now(),
        level=Problem.Level.MEETING,
    )


def test_the_chair_adopts_the_proposed_agenda(leader):
    make_project(
        "人才公寓",
        park="城东产业园",
        light=Light.RED,
        light_reasons=[{"light": "red", "rule": "start", "text": "延迟4个月未开工"}],
        code="CD-001",
    )
    make_project("团结激光产业园", park="城东产业园", light=Light.YELLOW, code="CD-002")
    make_project("文帝学校", park="城东产业园", light=Light.GREEN, code="CD-003")
    meeting = onsite(park="城东产业园")
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert 'id="accept-agenda"' in html
    proposal = section(html, 'id="agenda-proposal"', 'id="agenda-form"')
    assert "人才公寓" in proposal and "团结激光产业园" in proposal and "文帝学校" not in proposal
    assert "tj-light tj-light-red" in html and ">红<" in html  # colour plus word
    assert "1. 红黄灯项目" in html  # the textarea is prefilled with the proposal's text
    # Shown once: the proposal's rows, the text behind 修改议程文字后采用.
    assert proposal.count("人才公寓") == 2  # the row and its button's hidden name
    assert html.count("延迟4个月未开工") == 2  # the row, the (folded) text

    response = leader.post(
        url("agenda_save", meeting),
        {"agenda-version": 1, "agenda-text": "1. 人才公寓清表\n2. 团结激光产业园开工"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda == "1. 人才公寓清表\n2. 团结激光产业园开工" and meeting.version == 2
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert 'id="accept-agenda"' not in html and 'id="agenda-text"' in html


def test_a_stale_edit_is_refused_with_the_input_kept(leader):
    meeting = onsite()
    leader.post(url("minutes_save", meeting), {"minutes-version": 1, "minutes-text": "第一稿"})
    response = leader.post(
        url("minutes_save", meeting), {"minutes-version": 1, "minutes-text": "我的另一稿"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "会议内容刚刚已被他人修改" in html and "我的另一稿" in html
    meeting.refresh_from_db()
    assert meeting.minutes == "第一稿"
    response = leader.post(url("agenda_save", meeting), {"agenda-version": 2, "agenda-text": ""})
    assert response.status_code == 400 and "请填写议程。" in response.content.decode()


# --- Decisions --------------------------------------------------------------------------------


def test_a_decision_becomes_a_supervision_item_of_the_lead_unit_linked_both_ways(leader):
    meeting = onsite(park="城东产业园", invited=("自然资源和规划分局", "城东产业园"))
    response = leader.post(url("decision_add", meeting), decision_data())
    assert response.status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    item = decision.item
    assert item.source == SupervisionItem.Source.MEETING
    assert item.lead_unit.name == "自然资源和规划分局"
    assert list(item.co_units.values_list("name", flat=True)) == ["城东产业园"]
    assert item.assigned_on == SATURDAY and item.deadline == dt.date(2026, 12, 1)
    assert item.result_standard == "人才公寓地块清表完成"
    assert item.decision == decision  # the item links back to the meeting's decision
    assert SupervisionItem.objects.get(pk=item.pk).decision.meeting == meeting

    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert "自然资源和规划分局牵头,三天内完成人才公寓地块清表" in html
    assert item.get_absolute_url() in html and "2026年12月1日" in html
    assert item.get_state_display() in html

    ziran = login("ziran")
    assert ziran.get(item.get_absolute_url()).status_code == 200
    assert (
        item.title in ziran.get(reverse("supervision:item_board") + "?view=mine").content.decode()
    )


def section(html: str, start: str, end: str) -> str:
    """The part of `html` from `start` to the first `end` after it."""
    first = html.index(start)
    return html[first : html.index(end, first)]


def test_each_agenda_row_records_a_decision_about_its_project(leader):
    red = make_project("人才公寓", park="城东产业园", light=Light.RED, code="CD-002")
    problem = meeting_problem("城东产业园")
    meeting = onsite(park="城东产业园")
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert f'href="?decision-project={red.pk}#decision-form"' in html
    assert f"decision-project={problem.project_id}&amp;decision-problem={problem.pk}" in html
    # The row's link: the form comes with the project (and the problem) chosen.
    html = leader.get(f"{meeting.get_absolute_url()}?decision-project={red.pk}").content.decode()
    form = section(html, 'id="decision-form"', 'id="problems"')
    assert f'<option value="{red.pk}" selected>CD-002 人才公寓</option>' in form
    # After the agenda is adopted, its rows keep their buttons.
    leader.post(
        url("agenda_save", meeting),
        {"agenda-version": 1, "agenda-text": "1. 红黄灯项目\n   - 人才公寓:红灯\n2. 其他事项"},
    )
    html = leader.get(meeting.get_absolute_url()).content.decode()
    agenda = section(html, 'id="agenda-text"', 'id="decisions"')
    assert agenda.count("record-from-row") == 1 and "其他事项" in agenda
    # Those who do not manage meetings get no buttons and no draft.
    staff = login("jingfa")
    meeting.invited_units.add(unit("经济发展局"))
    html = staff.get(f"{meeting.get_absolute_url()}?decision-project={red.pk}").content.decode()
    assert "record-from-row" not in html and 'id="decision-form"' not in html


def test_typing_the_decision_fills_in_its_fields(leader, django_assert_max_num_queries):
    park_project = make_project("人才公寓", park="城东产业园", code="CD-002")
    meeting = onsite(park="城东产业园")
    text = "自然资源和规划分局牵头,会同城东产业园,五个工作日内完成人才公寓地块清表"
    with django_assert_max_num_queries(22):  # fixed: names are read in one query per kind
        response = leader.get(
            meeting.get_absolute_url(),
            {"decision-text": text, "decision-deadline_mode": "calendar"},
            headers={"HX-Request": "true", "HX-Target": "decision-fields"},
        )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="decision-fields">')  # the fields only
    assert "已按文字填写:牵头单位、配合单位、项目、期限、工作要求。" in html
    selected = {
        "project": park_project.pk,
        "lead_unit": unit("自然资源和规划分局").pk,
        "co_units": unit("城东产业园").pk,
    }
    for name, pk in selected.items():
        field = section(html, f'name="decision-{name}"', "</select>")
        assert f'value="{pk}" selected' in field, name
    assert 'value="working" selected' in html
    assert 'name="decision-deadline_days" value="5"' in html
    assert "\n完成人才公寓地块清表</textarea>" in html
    assert "\n人才公寓地块清表完成</textarea>" in html
    # Without script the 按文字填写 button sends the same GET: the whole page, form filled.
    html = leader.get(meeting.get_absolute_url(), {"decision-text": text}).content.decode()
    assert 'id="agenda"' in html and "\n人才公寓地块清表完成</textarea>" in html
    # Bad values are dropped, never a 500.
    response = leader.get(
        meeting.get_absolute_url(), {"decision-project": "x", "decision-lead_unit": "99999"}
    )
    assert response.status_code == 200


def test_a_decision_recorded_by_the_supervisor_is_assigned_by_the_chair(supervisor):
    project = make_project("人才公寓", park="城东产业园", code="CD-002")
    meeting = onsite(park="城东产业园")
    data = decision_data(
        **{
            "decision-project": project.pk,
            "decision-requirement": "完成人才公寓地块清表",
            "decision-responsible": Person.objects.get(user__username="ziran").pk,
            "decision-co_units": [],
        }
    )
    assert supervisor.post(url("decision_add", meeting), data).status_code == 302
    item = Decision.objects.get(meeting=meeting).item
    assert item.assigner == meeting.chair and item.assigner.user.username == "leader"
    assert item.project == project and item.responsible.user.username == "ziran"
    html = supervisor.get(project.get_absolute_url()).content.decode()
    assert item.title in html
    # A responsible person of another unit: the field says so, the input kept.
    data["decision-responsible"] = Person.objects.get(user__username="jingfa").pk
    response = supervisor.post(url("decision_add", meeting), data)
    assert response.status_code == 400
    assert "责任人:张强 不是牵头单位自然资源和规划分局的人员。" in response.content.decode()


def test_a_refused_decision_keeps_what_was_typed(leader):
    meeting = onsite()
    response = leader.post(
        url("decision_add", meeting), decision_data(**{"decision-lead_unit": ""})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "牵头单位:" in html and "三天内完成人才公寓地块清表" in html
    response = leader.post(
        url("decision_add", meeting),
        decision_data(**{"decision-deadline_mode": "date", "decision-deadline_date": "2026-11-20"}),
    )
    assert response.status_code == 409  # the service refuses a deadline before the meeting
    html = response.content.decode()
    assert "办理期限不能早于交办日期。" in html and "人才公寓地块清表完成" in html
    assert not SupervisionItem.objects.exists()


def test_a_decision_on_a_problem_and_a_problem_resolved_at_the_meeting(leader):
    meeting = onsite(park="城东产业园")
    problem = meeting_problem("城东产业园")
    other = meeting_problem("城东产业园", description="能耗指标不足")
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert "两处违建仍在使用" in html and "会上解决" in html

    leader.post(url("decision_add", meeting), decision_data(**{"decision-problem": problem.pk}))
    assert Decision.objects.get().problem == problem
    assert Decision.objects.get().item.problem == problem

    field = f"resolve-{other.pk}-resolution"
    response = leader.post(url("problem_resolve", meeting, other.pk), {field: ""})
    assert response.status_code == 400 and "请填写解决情况。" in response.content.decode()
    response = leader.post(url("problem_resolve", meeting, other.pk), {field: "协调省里调剂指标"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Problem.Status.RESOLVED
    assert other.resolution == f"{meeting.title}研究解决:协调省里调剂指标"
    html = leader.get(meeting.get_absolute_url()).content.decode()
    assert "协调省里调剂指标" in html  # still listed, as settled here
    response = leader.post(url("problem_resolve", meeting, other.pk), {field: "再次"})
    assert response.status_code == 409 and "不能再解决" in response.content.decode()


def test_a_problem_not_on_this_meeting_cannot_be_resolved_from_it(leader):
    meeting = onsite(park="青春化工园")
    elsewhere = meeting_problem("城东产业园")
    field = f"resolve-{elsewhere.pk}-resolution"
    response = leader.post(url("problem_resolve", meeting, elsewhere.pk), {field: "x"})
    assert response.status_code == 404


def test_attendance(leader):
    meeting = onsite(invited=("经济发展局",))
    jingfa = Person.objects.get(user__username="jingfa")
    staff = Person.objects.get(user__username="jingfa_staff")
    response = leader.post(
        url("attendance_save", meeting),
        {"attendance-present": [jingfa.pk], "attendance-leave": [jingfa.pk]},
    )
    assert response.status_code == 400 and "不能同时请假" in response.content.decode()
    response = leader.post(
        url("attendance_save", meeting),
        {
            "attendance-version": 1,
            "attendance-present": [jingfa.pk],
            "attendance-leave": [staff.pk],
        },
    )
    assert response.status_code == 302
    assert "已保存出席情况(2人)" in leader.get(response["Location"]).content.decode()
    assert dict(meeting.attendances.values_list("person__name", "status")) == {
        jingfa.name: Attendance.Status.PRESENT,
        staff.name: Attendance.Status.LEAVE,
    }
    leader.post(
        url("attendance_save", meeting),
        {"attendance-version": 2, "attendance-present": [staff.pk]},
    )
    assert list(meeting.attendances.values_list("person", "status")) == [
        (staff.pk, Attendance.Status.PRESENT)
    ]


def test_a_stale_attendance_list_is_refused_and_undoes_nobody(leader, supervisor):
    meeting = onsite(invited=("经济发展局",))
    jingfa = Person.objects.get(user__username="jingfa")
    staff = Person.objects.get(user__username="jingfa_staff")
    for client in (leader, supervisor):  # both open the page: version 1
        html = client.get(meeting.get_absolute_url()).content.decode()
        assert 'name="attendance-version" value="1"' in html
    data = {"attendance-version": 1, "attendance-present": [jingfa.pk]}
    assert leader.post(url("attendance_save", meeting), data).status_code == 302
    data = {"attendance-version": 1, "attendance-present": [staff.pk]}
    response = supervisor.post(url("attendance_save", meeting), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "会议内容刚刚已被他人修改" in html
    assert 'name="attendance-version" value="2"' in html  # saving again is a choice now
    form = response.context["attendance_form"]
    assert form["present"].value() == [str(staff.pk)]  # the input kept
    assert list(meeting.attendances.values_list("person", flat=True)) == [jingfa.pk]


# --- Documents ---------------------------------------------------------------------------------


def test_minutes_docx_download(leader):
    meeting = onsite(park="城东产业园", invited=("自然资源和规划分局",))
    leader.post(url("decision_add", meeting), decision_data())
    response = leader.get(url("minutes_docx", meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    assert "%E7%BA%AA%E8%A6%81.docx" in response["Content-Disposition"]  # 纪要.docx
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "三天内完成人才公寓地块清表" in text


def test_dispatch_xlsx_holds_the_open_items_the_user_sees(staff):
    meeting = onsite(kind=MeetingKind.DISPATCH, invited=("经济发展局",))
    make_item(lead="经济发展局", title="经发局的事项")
    make_item(lead="招商局", title="招商局的事项")
    make_item(lead="经济发展局", title="已办结的事项", state="closed", closed_on_time=True)
    response = staff.get(url("dispatch_xlsx", meeting))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "经发局的事项" in cells
    assert "招商局的事项" not in cells and "已办结的事项" not in cells


# --- Calendar ---------------------------------------------------------------------------------


def test_calendar_by_month_with_navigation(leader, staff):
    november = onsite(title="十一月现场办公会", invited=("经济发展局",))
    december = onsite(title="十二月现场办公会", day=dt.date(2026, 12, 12))
    hidden = onsite(title="别的单位的会", invited=("招商局",), park="城东产业园")

    response = leader.get(reverse("meetings:calendar") + "?month=2026-11")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026年11月" in html and november.title in html and december.title not in html
    assert november.get_absolute_url() in html and "周六现场办公会" in html and "09:00" in html
    assert '?month=2026-10"' in html and '?month=2026-12"' in html
    assert 'id="new-meeting"' in html and hidden.title in html

    html = leader.get(reverse("meetings:calendar") + "?month=2026-12").content.decode()
    assert december.title in html and november.title not in html
    assert '?month=2027-01"' in html

    html = staff.get(reverse("meetings:calendar") + "?month=2026-11").content.decode()
    assert november.title in html and hidden.title not in html
    assert 'id="new-meeting"' not in html

    this_month = timezone.localdate().strftime("%Y-%m")
    response = leader.get(reverse("meetings:calendar") + "?month=nonsense")
    assert response.status_code == 200
    assert f'?month={this_month}"' in response.content.decode()


def login(username):
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_anonymous_users_are_sent_to_login(client, org):
    meeting = onsite()
    for path in (reverse("meetings:calendar"), meeting.get_absolute_url()):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_meeting_page_query_count_does_not_grow_with_decisions(leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = onsite(park="城东产业园", invited=("自然资源和规划分局", "住建局"))
    meeting_problem("城东产业园")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert leader.get(meeting.get_absolute_url()).status_code == 200
        return len(captured)

    leader.post(url("decision_add", meeting), decision_data())
    one = queries()
    for lead in ("住建局", "城东产业园"):
        leader.post(
            url("decision_add", meeting),
            decision_data(**{"decision-lead_unit": unit(lead).pk, "decision-co_units": []}),
        )
    assert meeting.decisions.count() == 3
    assert queries() == one
