"""Intake pages per role: who may use them, preview, confirm, bad input, the result page."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuijin.core.tests.hostile import docx_bomb, docx_text
from tuijin.intake import services
from tuijin.intake.models import IntakeDocument
from tuijin.intake.tests.test_services import TEXT, category, fake_extract
from tuijin.org.models import Person, Unit
from tuijin.projects.models import Project
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.models import Problem

START = reverse("intake:start")
CONFIRM = reverse("intake:confirm")


@pytest.fixture
def engine(monkeypatch):
    """The extraction fixed by the test (the repair engine runs for real)."""
    monkeypatch.setattr(services, "extract", fake_extract())


def payload_of(response) -> str:
    return re.search(r'name="payload" value="([^"]+)"', response.content.decode()).group(1)


def preview(client, text=TEXT, **extra):
    response = client.post(START, {"text": text, "reference_date": "2022-11-16", **extra})
    assert response.status_code == 200
    return response


# --- who may use intake ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "staff", "unit_head", "supervisor"])
def test_writers_get_the_form(db, persona, request):
    client = request.getfixturevalue(persona)
    response = client.get(START)
    assert response.status_code == 200
    assert "识别并预览" in response.content.decode()


@pytest.mark.parametrize("persona", ["inspector", "liaison"])
def test_read_only_roles_are_refused(db, persona, request, engine):
    client = request.getfixturevalue(persona)
    assert client.get(START).status_code == 403
    assert client.post(START, {"text": TEXT}).status_code == 403
    assert client.post(CONFIRM, {"payload": "x"}).status_code == 403


def test_anonymous_users_must_log_in(client, org):
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_confirm_is_post_only(leader):
    assert leader.get(CONFIRM).status_code == 405


# --- preview -----------------------------------------------------------------------------------


def test_preview_shows_repairs_and_proposals_and_saves_nothing(leader, engine):
    existing = make_project("犇星二期年产3万吨新能源电解液", park="青春化工园", content="原有")
    before = (Project.objects.count(), Problem.objects.count(), IntakeDocument.objects.count())
    response = preview(leader, text="隨州高新區(qū)" + TEXT)
    html = response.content.decode()
    assert "确认导入" in html
    assert re.search(r'<mark class="tj-mark-traditional"[^>]*title="原为“[^"]*繁转简', html)
    assert 'id="repair-legend"' in html
    assert "文帝学校" in html and "新建" in html
    assert (
        f'匹配:<a href="{existing.get_absolute_url()}">犇星二期年产3万吨新能源电解液</a>(100%)'
        in html
    )
    assert "系统中没有“西山产业园”这个园区,无法新建" in html
    assert "郭晓东" in html and "党工委书记" in html
    assert "2022年11月19日" in html  # 三天后, from the reference date
    # Nothing is ticked by default.
    assert not re.search(r'type="checkbox"[^>]*checked', html)
    assert before == (
        Project.objects.count(),
        Problem.objects.count(),
        IntakeDocument.objects.count(),
    )


def test_a_txt_upload_in_gbk_is_read(leader, engine):
    upload = SimpleUploadedFile("报道.txt", TEXT.encode("gb18030"), "text/plain")
    response = leader.post(START, {"file": upload, "reference_date": "2022-11-16"})
    html = response.content.decode()
    assert "确认导入" in html
    assert "报道.txt" in html
    assert "人才公寓" in html


def test_a_docx_upload_is_read(leader, engine):
    import docx

    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("纪要.docx", buffer.getvalue())
    html = leader.post(START, {"file": upload}).content.decode()
    assert "确认导入" in html
    assert "文帝学校" in html


def test_an_exe_upload_is_refused_and_the_typed_text_kept(leader, engine):
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", "application/octet-stream")
    response = leader.post(
        START, {"file": upload, "text": "我输入的文字", "reference_date": "2022-11-16"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "只支持 .txt 或 .docx 文件,“setup.exe”不是" in html
    assert "我输入的文字</textarea>" in html
    assert 'value="2022-11-16"' in html


def test_a_broken_docx_is_refused(leader, engine):
    upload = SimpleUploadedFile("坏文件.docx", b"not a zip file")
    html = leader.post(START, {"file": upload}).content.decode()
    assert "无法读取“坏文件.docx”" in html


def test_the_docx_that_unpacks_to_419_mb_is_refused_with_the_date_kept(leader, engine):
    """A 1.5 MB .docx took one worker to 8.5 GB (V10): the archive limits stop it."""
    bomb = SimpleUploadedFile("报道.docx", docx_bomb())
    response = leader.post(START, {"file": bomb, "reference_date": "2022-11-16"})
    html = response.content.decode()
    assert response.status_code == 200 and "确认导入" not in html
    assert "“报道.docx”解压后超过 50 MB 的上限(可能是压缩炸弹)" in html
    assert 'value="2022-11-16"' in html


def test_the_text_of_a_docx_is_capped_like_pasted_text(leader, engine, settings):
    """An 89 KB .docx of 15 MB text took 26 s of CPU (V10). Such text compresses beyond the
    archive ratio; with the ratio raised, the text cap refuses it after its first 100,000
    characters (nothing past them is parsed)."""
    paragraph = "随州高新区重点项目推进情况通报" * 20  # 300 characters
    many = docx_text([paragraph], repeat=17_000)  # 5.1 million characters, 15 MB of UTF-8
    html = leader.post(START, {"file": SimpleUploadedFile("通报.docx", many)}).content.decode()
    assert "压缩比超过 100:1 的上限" in html
    settings.ARCHIVE_MAX_RATIO = 100_000
    html = leader.post(START, {"file": SimpleUploadedFile("通报.docx", many)}).content.decode()
    assert "“通报.docx”的正文超过 100,000 字的上限,请只上传报道或纪要的正文。" in html
    assert "确认导入" not in html
    within = docx_text([paragraph], repeat=300)  # 90,000 characters
    html = leader.post(START, {"file": SimpleUploadedFile("通报.docx", within)}).content.decode()
    assert "确认导入" in html


def test_a_docx_table_is_read_row_by_row(leader, engine):
    import docx

    document = docx.Document()
    document.add_paragraph("人才公寓")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "文帝学校", "九年一贯制"
    buffer = io.BytesIO()
    document.save(buffer)
    from tuijin.intake.forms import read_docx

    text = read_docx(io.BytesIO(buffer.getvalue()), "纪要.docx")
    assert text.splitlines() == ["人才公寓", "文帝学校 九年一贯制"]


def test_empty_text_is_refused(leader, engine):
    html = leader.post(START, {"text": "   "}).content.decode()
    assert "请粘贴要录入的文本,或上传 .txt / .docx 文件" in html
    assert "确认导入" not in html


def test_text_and_file_together_is_refused(leader, engine):
    upload = SimpleUploadedFile("a.txt", "人才公寓".encode())
    html = leader.post(START, {"text": "文帝学校", "file": upload}).content.decode()
    assert "请只粘贴文本或只上传文件" in html
    assert "文帝学校</textarea>" in html


def test_binary_junk_is_answered_without_a_crash(leader):
    upload = SimpleUploadedFile("junk.txt", bytes(range(256)) * 8)
    response = leader.post(START, {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "不是文本文件" in html
    assert "确认导入" not in html


# --- confirm -----------------------------------------------------------------------------------


def test_confirming_ticked_rows_creates_them_and_shows_the_result(leader, engine):
    payload = payload_of(preview(leader))
    proposal = services.proposal_from_payload(
        Person.objects.get(user__username="leader").user, payload
    )
    index = {r.name: r.index for r in proposal.projects}
    response = leader.post(
        CONFIRM,
        {
            "payload": payload,
            f"project-{index['文帝学校']}": "on",
            f"project-{index['文帝学校']}-content": "九年一贯制学校",
            f"project-{index['人才公寓']}": "on",
            "problem-0": "on",
            "problem-0-text": "两处违章建筑物在使用",
            "problem-0-subject": f"p:{index['人才公寓']}",
            "problem-0-category": category("征迁与违建").pk,
        },
        follow=True,
    )
    html = response.content.decode()
    document = IntakeDocument.objects.get()
    assert response.redirect_chain[-1][0] == document.get_absolute_url()
    assert "已确认导入:新建项目2个、登记问题1个。" in html
    school = Project.objects.get(name="文帝学校")
    assert f'href="{school.get_absolute_url()}"' in html
    assert Problem.objects.get().project.name == "人才公寓"
    assert Project.objects.filter(name="团结激光产业园").count() == 0  # not ticked


def test_nothing_ticked_gives_a_message_and_saves_nothing(leader, engine):
    payload = payload_of(preview(leader))
    response = leader.post(CONFIRM, {"payload": payload})
    assert response.status_code == 200
    assert "请至少勾选一条要导入的记录" in response.content.decode()
    assert not IntakeDocument.objects.exists()


def test_a_problem_without_a_subject_names_the_row_and_keeps_the_typing(leader, engine):
    payload = payload_of(preview(leader))
    response = leader.post(
        CONFIRM,
        {
            "payload": payload,
            "project-0": "on",
            "problem-1": "on",
            "problem-1-text": "土地指标短缺,影响项目落地",
            "problem-1-subject": "",
            "problem-1-category": category("土地指标").pk,
        },
    )
    html = response.content.decode()
    assert "问题第2条:问题须关联一个项目或企业" in html
    assert 'value="土地指标短缺,影响项目落地"' in html
    assert re.search(r'name="project-0"[^>]*checked|checked[^>]*name="project-0"', html)
    assert not Project.objects.filter(name="文帝学校").exists()


def test_a_problem_on_an_unticked_new_project_is_refused(leader, engine):
    payload = payload_of(preview(leader))
    proposal = services.proposal_from_payload(
        Person.objects.get(user__username="leader").user, payload
    )
    rencai = next(r for r in proposal.projects if r.name == "人才公寓")
    response = leader.post(
        CONFIRM,
        {
            "payload": payload,
            "problem-0": "on",
            "problem-0-text": "违建",
            "problem-0-subject": rencai.key,
            "problem-0-category": category("征迁与违建").pk,
        },
    )
    assert "“人才公寓”尚未在系统中,请同时勾选导入它" in response.content.decode()
    assert not Problem.objects.exists()


def test_a_forged_payload_sends_back_to_the_start(leader, engine):
    response = leader.post(CONFIRM, {"payload": "forged", "project-0": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == START
    assert "预览已失效" in response.content.decode()


def test_a_blocked_row_cannot_be_ticked(outsider, engine):
    # 城东产业园's head: 青春化工园 is outside their units.
    payload = payload_of(preview(outsider))
    proposal = services.proposal_from_payload(
        Person.objects.get(user__username="chengdong").user, payload
    )
    blocked = next(r for r in proposal.projects if r.name.startswith("犇星"))
    html = outsider.post(
        CONFIRM, {"payload": payload, f"project-{blocked.index}": "on"}
    ).content.decode()
    assert "请至少勾选一条要导入的记录" in html
    assert not Project.objects.filter(name__startswith="犇星").exists()


# --- the result page ---------------------------------------------------------------------------


@pytest.fixture
def document(org):
    chengdong = Unit.objects.get(name="城东产业园")
    project = make_project("文帝学校", park="城东产业园", unit="城东产业园")
    return IntakeDocument.objects.create(
        title="城东产业园报道",
        text=TEXT,
        reference_date="2022-11-16",
        unit=chengdong,
        created_by=Person.objects.get(user__username="chengdong"),
        results=[
            {
                "kind": "project",
                "action": "create",
                "pk": project.pk,
                "name": project.name,
                "url": project.get_absolute_url(),
                "note": "编号 CD-001",
            }
        ],
    )


@pytest.mark.parametrize("persona", ["outsider", "leader", "inspector", "supervisor"])
def test_the_result_page_is_shown_to_who_sees_the_unit(persona, request, document):
    client = request.getfixturevalue(persona)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "文帝学校" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "liaison"])
def test_the_result_page_is_hidden_from_other_units(persona, request, document):
    client = request.getfixturevalue(persona)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_recent_intakes_are_listed_on_the_start_page(outsider, staff, document):
    assert "城东产业园报道" in outsider.get(START).content.decode()
    assert "城东产业园报道" not in staff.get(START).content.decode()


def test_a_problem_on_a_project_that_cannot_be_created_says_why(leader, engine):
    payload = payload_of(preview(leader))
    proposal = services.proposal_from_payload(
        Person.objects.get(user__username="leader").user, payload
    )
    fengbei = next(r for r in proposal.projects if r.name == "丰碑产业园")
    html = leader.post(
        CONFIRM,
        {
            "payload": payload,
            "problem-0": "on",
            "problem-0-text": "用地未落实",
            "problem-0-subject": fengbei.key,
            "problem-0-category": category("土地指标").pk,
        },
    ).content.decode()
    assert "问题第1条:“丰碑产业园”无法新建(系统中没有“西山产业园”这个园区,无法新建)" in html
    assert not Problem.objects.exists()


def test_preview_query_count_does_not_grow_with_the_ledger(leader, engine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            preview(leader)
        return len(context)

    few = queries()
    for n in range(25):
        make_project(f"台账里的其他项目{n}")
    assert queries() == few


def test_possible_projects_are_listed_apart_with_their_reasons_and_never_ticked(leader):
    # The real extraction, not the fixed one of ``engine``.
    text = (
        "青春化工园，犇星二期年产3万吨新能源电解液、华强新材料等项目全力推进。"
        "我们看到智能制造产业园二期项目。"
    )
    html = preview(leader, text=text).content.decode()
    confident, possible = html.split('id="possible-projects"')
    assert "犇星二期年产3万吨新能源电解液" in confident.split('id="proposed-projects"')[1]
    assert "依据:列举于“青春化工园" in confident and "把握 95%" in confident
    assert "可能的项目" in confident  # the heading of the section after the projects
    section = possible.split('id="proposed-enterprises"')[0]
    assert "智能制造产业园二期项目" in section and "名称较长" in section
    assert "checked" not in section
    # The summary counts them apart: one project, one possible one.
    summary = html.split('id="intake-summary"')[1].split("</div>")[0]
    assert "项目 2 个(另有可能的项目 1 个)" in summary
