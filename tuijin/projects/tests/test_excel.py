"""Excel in and out: the ledger export, the import template, upload → preview → confirm."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from conftest import unit
from tuijin.core import jobs
from tuijin.core.models import AuditEvent, Job
from tuijin.core.xlsx import SheetWriter, table_rows
from tuijin.org.models import Person, Role
from tuijin.projects import services
from tuijin.projects.excel import (
    HEADERS,
    clean_amount,
    clean_date,
    parse_projects,
)
from tuijin.projects.lights import Thresholds
from tuijin.projects.models import (
    AnnualPlan,
    Enterprise,
    IndustryTag,
    ProgressReport,
    Project,
    Stage,
)
from tuijin.projects.periods import period_containing


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_project(code, park="青春化工园", owner="经济发展局", **fields) -> Project:
    fields.setdefault("name", f"项目{code}")
    fields.setdefault("stage", Stage.CONSTRUCTION)
    project = Project(code=code, park=unit(park), unit=unit(owner), **fields)
    project.save()
    return project


def export_rows(response) -> list[tuple]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return table_rows(load_workbook(io.BytesIO(content)).active)


def exported_codes(response) -> set[str]:
    return {row[0] for row in export_rows(response)[1:]}


def xlsx(rows, headers=HEADERS, name="projects.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(code, name="新能源电解液项目", park="青春化工园", owner="经济发展局", **cells):
    """One template row; `cells` by header."""
    values = dict.fromkeys(HEADERS)
    values.update({"项目编号": code, "项目名称": name, "所属园区": park, "责任单位": owner})
    values["项目阶段"] = "在建"
    values.update(cells)
    return [values[h] for h in HEADERS]


def upload(client, file):
    return client.post(reverse("projects:import_upload"), {"file": file})


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm a preview: the view starts the import job, which runs when the request's
    transaction commits (the queue runs tasks immediately in tests)."""

    def confirm(client, response):
        token = response.context["token"]
        assert token
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("projects:import_confirm"), {"token": token})

    return confirm


def import_job(response) -> Job:
    """The job a confirmation started (it redirects to the job's page)."""
    assert response.status_code == 302
    job = Job.objects.get(
        kind="projects.import", pk=response["Location"].rstrip("/").split("/")[-1]
    )
    assert response["Location"] == job.get_absolute_url()
    return job


# --- export -------------------------------------------------------------------------------


def test_export_lists_the_filtered_ledger_with_dates_as_dates(leader):
    p = make_project("A-1", planned_start=dt.date(2026, 9, 1), total_investment=Decimal(35000))
    p.leaders.add(Person.objects.get(user__username="leader"))
    AnnualPlan.objects.create(project=p, year=timezone.localdate().year, amount=Decimal(1200))
    make_project("A-2", stage=Stage.PLANNING)
    make_project("B-1", park="城东产业园", owner="城东产业园", stage=Stage.CONSTRUCTION)

    response = leader.get(reverse("projects:ledger_export"), {"stage": "construction"})
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    rows = export_rows(response)
    assert list(rows[0][:3]) == ["项目编号", "项目名称", "所属园区"]
    assert {r[0] for r in rows[1:]} == {"A-1", "B-1"}
    a1 = next(r for r in rows if r[0] == "A-1")
    assert a1[2:4] == ("青春化工园", "经济发展局")
    a1 = dict(zip(rows[0], a1, strict=True))  # the export's headers are the template's
    assert a1["项目阶段"] == "在建"
    assert a1["总投资(万元)"] == 35000 and a1["年度计划投资(万元)"] == 1200
    assert isinstance(a1["计划开工"], dt.datetime)  # a real Excel date, not text
    assert a1["计划开工"].date() == dt.date(2026, 9, 1)
    assert a1["包保领导"] == "王立新"

    response = leader.get(reverse("projects:ledger_export"), {"park": unit("城东产业园").pk})
    assert exported_codes(response) == {"B-1"}


def test_staff_exports_only_their_units_projects(staff):
    make_project("MINE-1")
    make_project("OTHER-1", park="城东产业园", owner="城东产业园")
    assert exported_codes(staff.get(reverse("projects:ledger_export"))) == {"MINE-1"}


def test_liaison_exports_only_their_enterprises_projects(liaison):
    liaison_person = Person.objects.get(user__username="qiye")
    own = Enterprise.objects.create(
        name="湖北犇星化工", unit=unit("经济发展局"), liaison=liaison_person
    )
    make_project("OWN-1").enterprises.add(own)
    make_project("SAME-PARK-1")  # same park, another enterprise
    make_project("OTHER-1", park="城东产业园", owner="城东产业园")
    assert exported_codes(liaison.get(reverse("projects:ledger_export"))) == {"OWN-1"}


def test_export_query_count_does_not_grow_with_rows(leader):
    leader_person = Person.objects.get(user__username="leader")
    tag = IndustryTag.objects.create(name="新能源")
    enterprise = Enterprise.objects.create(name="示例企业", unit=unit("经济发展局"))

    def export_queries(n):
        for i in range(Project.objects.count(), n):
            p = make_project(f"Q-{i:03}")
            p.leaders.add(leader_person)
            p.tags.add(tag)
            p.enterprises.add(enterprise)
            AnnualPlan.objects.create(project=p, year=timezone.localdate().year, amount=Decimal(1))
        with CaptureQueriesContext(connection) as queries:
            assert len(exported_codes(leader.get(reverse("projects:ledger_export")))) == n
        return len(queries)

    assert export_queries(10) == export_queries(50)


def test_export_needs_get(leader):
    assert leader.post(reverse("projects:ledger_export")).status_code == 405


# --- template and round trip ---------------------------------------------------------------


def test_template_round_trip_creates_then_updates(staff, confirm):
    response = staff.get(reverse("projects:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["项目", "填写说明"]
    sheet = workbook["项目"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert (sheet.page_setup.orientation, sheet.print_title_rows) == ("landscape", "$1:$1")
    notes = "\n".join(str(c.value) for r in workbook["填写说明"].iter_rows() for c in r if c.value)
    assert "项目阶段" in notes and "谋划、签约、前期、在建、竣工、投产、停缓建" in notes

    # The example row stays; it is skipped on import.
    sheet.append(
        row(
            "JF-001",
            项目阶段="前期",
            业主企业="湖北新建科技有限公司",
            计划开工="2026年9月",
            包保领导="王立新、张强",
            产业标签="新能源、新材料",
        )
    )
    sheet.append(row("JF-002", name="人才公寓", 项目类别="社会事业", 计划竣工=dt.date(2027, 6, 30)))
    sheet["J3"] = 35000
    sheet["K3"], sheet["L3"] = 2026, "1,200.5"
    out = io.BytesIO()
    workbook.save(out)
    file_bytes = out.getvalue()

    preview = upload(staff, SimpleUploadedFile("填好的.xlsx", file_bytes))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.ok and result.skipped_example
    assert [r.code for r in result.to_create] == ["JF-001", "JF-002"]
    assert "湖北新建科技有限公司" in preview.content.decode()
    assert Project.objects.count() == 0  # nothing saved before confirming

    job = import_job(confirm(staff, preview))
    assert job.status == "done"
    page = staff.get(job.get_absolute_url()).content.decode()
    assert "导入完成:新建 2 个项目,更新 0 个项目;新建 1 家企业。" in page
    assert f'href="{reverse("projects:project_list")}" id="job-outcome-link"' in page
    p1 = Project.objects.get(code="JF-001")
    assert p1.stage == Stage.PREPARING
    assert p1.planned_start == dt.date(2026, 9, 1)
    assert p1.total_investment == Decimal(35000)
    assert p1.annual_plans.get(year=2026).amount == Decimal("1200.50")
    assert {p.name for p in p1.leaders.all()} == {"王立新", "张强"}
    assert {t.name for t in p1.tags.all()} == {"新能源", "新材料"}
    new_enterprise = p1.enterprises.get()
    assert (new_enterprise.unit, new_enterprise.park) == (unit("经济发展局"), unit("青春化工园"))
    assert "jf-001" in p1.search_text
    assert Project.objects.get(code="JF-002").planned_completion == dt.date(2027, 6, 30)
    events = AuditEvent.objects.filter(action="import_projects", model="projects.project")
    assert events.filter(object_id=str(p1.pk)).exists()
    assert events.first().actor.username == "jingfa_staff"
    assert "projects_import" not in staff.session

    # The same file again, with one figure changed: updates, no duplicates.
    sheet["J3"] = 36000
    out = io.BytesIO()
    workbook.save(out)
    preview = upload(staff, SimpleUploadedFile("填好的.xlsx", out.getvalue()))
    result = preview.context["result"]
    assert [r.code for r in result.to_update] == ["JF-001", "JF-002"]
    assert result.to_update[0].changes == ["总投资(万元)"]
    assert result.to_update[1].changes == []
    job = import_job(confirm(staff, preview))
    assert job.params["outcome"]["message"] == (
        "导入完成:新建 0 个项目,更新 1 个项目,1 个项目没有变化。"
    )
    assert Project.objects.count() == 2
    assert Enterprise.objects.filter(name="湖北新建科技有限公司").count() == 1
    p1.refresh_from_db()
    assert p1.total_investment == Decimal(36000)


def test_the_template_notes_print_on_the_page_width(staff):
    """The 填写说明 had no print set-up: portrait, its sentences running over three pages'
    width, the table's labels at the foot of rows whose text starts at the top."""
    response = staff.get(reverse("projects:import_template"))
    notes = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["填写说明"]
    setup = notes.page_setup
    assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (9, 1, 0)
    assert notes.sheet_properties.pageSetUpPr.fitToPage
    header = next(r[0].row for r in notes.iter_rows() if r[0].value == "列")
    assert notes.print_title_rows == f"${header}:${header}"
    assert "A2:E2" in {str(r) for r in notes.merged_cells.ranges}
    assert notes["A2"].alignment.wrap_text and notes.row_dimensions[2].height
    date_row = next(r for r in notes.iter_rows(min_row=header) if r[1].value == "计划开工")
    assert {c.alignment.vertical for c in date_row} == {"top"}
    assert notes.row_dimensions[date_row[0].row].height


def test_confirm_rereads_the_stored_file_and_deletes_it(staff, media, confirm):
    preview = upload(staff, xlsx([row("JF-9")]))
    stored = list((media / "imports").iterdir())
    assert len(stored) == 1
    # A forged token applies nothing.
    response = staff.post(reverse("projects:import_confirm"), {"token": "../../etc/passwd"})
    assert response.status_code == 302
    assert not Project.objects.exists()
    job = import_job(confirm(staff, preview))
    assert Project.objects.filter(code="JF-9").exists()
    assert list((media / "imports").iterdir()) == []
    assert "projects_import" not in staff.session
    # Confirming twice (a double click) shows the same job and does nothing more.
    assert import_job(confirm(staff, preview)) == job
    assert Project.objects.count() == 1


def test_a_bad_row_saves_nothing_and_names_row_and_column(staff, media):
    file = xlsx(
        [
            row("OK-1"),
            row("OK-2", 项目阶段="开建中"),
            row("OK-3", 计划开工="明年", **{"总投资(万元)": -5}),
        ]
    )
    response = upload(staff, file)
    assert response.status_code == 200
    texts = [e.text for e in response.context["errors"]]
    assert texts[0] == (
        "第3行 G列(项目阶段):“开建中”不是有效的阶段,可选:谋划、签约、前期、在建、竣工、投产、停缓建"
    )
    assert any(t.startswith("第4行 J列(总投资(万元))") for t in texts)
    assert any(t.startswith("第4行 M列(计划开工)") for t in texts)
    page = response.content.decode()
    assert "第3行" in page and "开建中" in page and 'id="confirm-import"' not in page
    assert not Project.objects.exists()
    assert not (media / "imports").exists() or not list((media / "imports").iterdir())


def test_not_an_xlsx_file_gets_a_clear_error(staff):
    response = upload(staff, SimpleUploadedFile("台账.xlsx", b"not a spreadsheet"))
    assert "“台账.xlsx”不是 Excel .xlsx 文件" in response.content.decode()
    response = upload(staff, SimpleUploadedFile("台账.csv", b"a,b\n1,2"))
    assert "“台账.csv”不是 Excel .xlsx 文件" in response.content.decode()
    response = upload(staff, SimpleUploadedFile("台账.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
    assert "“台账.xls”是旧版 Office 文件" in response.content.decode()
    response = upload(staff, SimpleUploadedFile("空.xlsx", b""))
    assert "“空.xlsx”是空文件" in response.content.decode()


def test_a_header_that_does_not_match_is_one_error(staff):
    headers = list(HEADERS)
    headers[1] = "名称"
    response = upload(staff, xlsx([row("X-1")], headers=headers))
    (error,) = response.context["errors"]
    assert error.row == 1 and error.column == "B"
    assert "B列“名称”不是模板中的列" in error.message


def test_parse_checks_references_and_duplicates(org):
    user = Person.objects.get(user__username="jingfa_staff").user
    file = xlsx(
        [
            row("D-1", 包保领导="不存在的人"),
            row("D-1"),
            row("D-2", park="经济发展局"),
            row("D-3", owner="城东产业园"),
            row("D-4", 计划年度="二〇二六", **{"年度计划投资(万元)": "abc"}),
            row(None, name=None),
        ]
    )
    result = parse_projects(file, user)
    texts = [e.text for e in result.errors]
    assert "第2行 R列(包保领导):系统中没有人员“不存在的人”" in texts
    assert "第3行 A列(项目编号):编号“D-1”与第2行重复" in texts
    assert "第4行 C列(所属园区):“经济发展局”不是本区已有的园区" in texts
    assert any(t.startswith("第5行 D列(责任单位):“城东产业园”") for t in texts)
    assert any(t.startswith("第6行 K列(计划年度)") for t in texts)
    assert any(t.startswith("第6行 L列(年度计划投资(万元))") for t in texts)
    assert "第7行 A列(项目编号):必填,不能为空" in texts
    assert "第7行 B列(项目名称):必填,不能为空" in texts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 9, 1), dt.date(2026, 9, 1)),  # noqa: DTZ001 (Excel dates are naive)
        ("2026-09-01", dt.date(2026, 9, 1)),
        ("2026/9/1", dt.date(2026, 9, 1)),
        ("2026年9月1日", dt.date(2026, 9, 1)),
        ("2026年9月", dt.date(2026, 9, 1)),
        ("2026.9", dt.date(2026, 9, 1)),
        (46266, dt.date(2026, 9, 1)),  # a date serial in a cell formatted as a number
    ],
)
def test_dates_in_the_formats_people_type(value, expected):
    assert clean_date(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "明年", "9月1日", 3])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        clean_date(value)


def test_amounts():
    assert clean_amount("1,234.567") == Decimal("1234.57")
    assert clean_amount(35000) == Decimal(35000)
    assert clean_amount("12万") == Decimal(12)
    for bad in ("-1", "abc", True):
        with pytest.raises(ValueError):
            clean_amount(bad)


# --- who may import --------------------------------------------------------------------------


def test_outsider_cannot_update_another_units_project_by_import(outsider):
    make_project("JF-100", name="原名称")
    response = upload(
        outsider, xlsx([row("JF-100", name="改过的", park="城东产业园", owner="城东产业园")])
    )
    (error,) = response.context["errors"]
    assert error.text == "第2行 A列(项目编号):编号“JF-100”的项目已存在,您无权修改该项目"
    assert Project.objects.get(code="JF-100").name == "原名称"


def test_outsider_imports_into_their_own_park(outsider, confirm):
    preview = upload(outsider, xlsx([row("CD-1", park="城东产业园", owner="城东产业园")]))
    confirm(outsider, preview)
    assert Project.objects.get(code="CD-1").unit == unit("城东产业园")


@pytest.mark.parametrize("persona", ["inspector", "liaison", "supervisor"])
def test_non_editors_get_403(persona, request):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("projects:import_template")).status_code == 403
    assert client.get(reverse("projects:import_upload")).status_code == 403
    assert upload(client, xlsx([row("X-1")])).status_code == 403
    assert client.post(reverse("projects:import_confirm"), {"token": "x"}).status_code == 403
    assert not Project.objects.exists()


def test_wrong_methods_get_405(staff):
    assert staff.get(reverse("projects:import_confirm")).status_code == 405
    assert staff.post(reverse("projects:import_template")).status_code == 405
    assert staff.put(reverse("projects:import_upload")).status_code == 405


def test_upload_form_links_the_template(staff):
    page = staff.get(reverse("projects:import_upload")).content.decode()
    assert reverse("projects:import_template") in page
    assert 'type="file"' in page


def test_confirm_parses_again_and_refuses_what_changed_since_the_preview(staff, confirm, media):
    preview = upload(staff, xlsx([row("RACE-0"), row("RACE-1")]))
    make_project("RACE-1", park="城东产业园", owner="城东产业园")  # someone else, meanwhile
    job = import_job(confirm(staff, preview))
    assert job.status == "failed"
    assert job.error.splitlines() == [
        "预览之后数据有变化,重新检查时发现 1 处错误,没有保存任何数据。请修改文件后重新上传:",
        "第3行 A列(项目编号):编号“RACE-1”的项目已存在,您无权修改该项目",
    ]
    page = staff.get(job.get_absolute_url()).content.decode()
    assert "第3行 A列(项目编号)" in page
    assert Project.objects.get(code="RACE-1").unit == unit("城东产业园")
    assert not Project.objects.filter(code="RACE-0").exists()
    assert list((media / "imports").iterdir()) == []


def test_the_job_applies_its_owners_rights_when_it_runs(staff, media):
    """Queued, then run after the owner lost the right to import: nothing is saved."""
    preview = upload(staff, xlsx([row("SCOPE-1")]))
    response = staff.post(reverse("projects:import_confirm"), {"token": preview.context["token"]})
    job = import_job(response)
    assert job.status == "queued"  # runs when the transaction commits
    Person.objects.filter(user__username="jingfa_staff").update(role=Role.INSPECTOR)
    assert jobs.execute(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "您的角色不能导入项目。"
    assert not Project.objects.exists()


def test_a_failure_while_applying_saves_nothing(org):
    """All or nothing: someone enters project ATOM-2 while the import is being worked out;
    its INSERT fails after the enterprise and tag INSERTs, and the whole import is undone."""
    user = Person.objects.get(user__username="jingfa_staff").user
    file = xlsx([row("ATOM-1", 业主企业="新企业", 产业标签="新标签"), row("ATOM-2")])
    result = parse_projects(file, user)
    assert result.ok

    def meanwhile(done, total):
        if done == 1:  # worked out, not yet written
            make_project("ATOM-2", name="别人录入的")

    with pytest.raises(IntegrityError):
        services.import_projects(user, result, progress=meanwhile)
    assert list(Project.objects.values_list("name", flat=True)) == ["别人录入的"]
    assert not Enterprise.objects.exists()
    assert not IndustryTag.objects.filter(name="新标签").exists()
    assert not AnnualPlan.objects.exists()
    assert not AuditEvent.objects.filter(action="import_projects").exists()


def test_an_import_is_audited_one_event_per_record_with_its_changes(org):
    user = Person.objects.get(user__username="jingfa_staff").user
    leader, zhang = Person.objects.get(name="王立新"), Person.objects.get(name="张强")
    year = timezone.localdate().year
    file = xlsx(
        [
            row(
                "AU-1",
                业主企业="新企业",
                包保领导="王立新",
                产业标签="新能源",
                **{"总投资(万元)": 100, "计划年度": year, "年度计划投资(万元)": 50},
            ),
            row("AU-2"),
        ]
    )
    outcome = services.import_projects(user, parse_projects(file, user))
    assert (outcome.created, outcome.updated, outcome.enterprises) == (2, 0, 1)
    events = AuditEvent.objects.filter(action="import_projects")
    assert {e.actor for e in events} == {user}
    assert sorted(events.values_list("model", flat=True)) == [
        "projects.annualplan",
        "projects.enterprise",
        "projects.project",
        "projects.project",
    ]
    au1 = Project.objects.get(code="AU-1")
    enterprise = Enterprise.objects.get(name="新企业")
    assert au1.search_text.startswith("新能源电解液项目 au-1")
    (created,) = events.filter(model="projects.project", object_id=str(au1.pk))
    assert created.changes["code"] == [None, "AU-1"]
    assert created.changes["total_investment"] == [None, "100.00"]
    assert created.changes["park_id"] == [None, unit("青春化工园").pk]
    assert created.changes["enterprises"] == {"added": [enterprise.pk]}
    assert created.changes["leaders"] == {"added": [leader.pk]}
    assert created.changes["tags"] == {"added": [IndustryTag.objects.get(name="新能源").pk]}
    assert events.get(model="projects.enterprise").changes["name"] == [None, "新企业"]
    plan = au1.annual_plans.get()
    assert events.get(model="projects.annualplan").object_id == str(plan.pk)

    # The same file with a new name, investment, leader and plan for AU-1; AU-2 as it was.
    events = events.filter(pk__gt=events.latest("pk").pk)
    file = xlsx(
        [
            row(
                "AU-1",
                name="改名项目",
                业主企业="新企业",
                包保领导="张强",
                产业标签="新能源",
                **{"总投资(万元)": 120, "计划年度": year, "年度计划投资(万元)": 60},
            ),
            row("AU-2"),
        ]
    )
    outcome = services.import_projects(user, parse_projects(file, user))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    updated = events.get(model="projects.project")
    assert updated.object_id == str(au1.pk) and updated.action == "import_projects"
    assert updated.changes == {
        "name": ["新能源电解液项目", "改名项目"],
        "total_investment": ["100.00", "120.00"],
        "leaders": {"added": [zhang.pk], "removed": [leader.pk]},
    }
    assert events.get(model="projects.annualplan").changes == {"amount": ["50.00", "60.00"]}
    assert events.count() == 2
    au1.refresh_from_db()
    assert (au1.name, au1.total_investment) == ("改名项目", Decimal(120))
    assert "gaimingxiangmu" in au1.search_text
    assert list(au1.leaders.all()) == [zhang]
    assert au1.annual_plans.get().amount == Decimal(60)
    assert au1.updated_at > au1.created_at


def test_lights_of_an_import_are_those_refresh_lights_gives(org):
    """The import works out each light before writing; recomputing changes none of them."""
    user = Person.objects.get(user__username="jingfa_staff").user
    year = timezone.localdate().year
    make_project("LT-1", stage=Stage.PLANNING, planned_start=dt.date(year - 1, 1, 1))
    file = xlsx(
        [
            row("LT-1", 项目阶段="谋划"),  # a year late starting: red
            row("LT-2", 项目阶段="停缓建"),  # suspended: red
            row("LT-3", 项目阶段="前期", 计划开工=dt.date(year - 1, 6, 1)),
            row("LT-4", **{"计划年度": year, "年度计划投资(万元)": 1200}),
        ]
    )
    services.import_projects(user, parse_projects(file, user))
    projects = list(Project.objects.order_by("code"))
    assert [p.light for p in projects] == ["red", "red", "red", projects[3].light]
    assert all(p.light_since for p in projects if p.light != "green")
    assert services.refresh_lights(projects) == 0


def import_file(n: int, year: int) -> SimpleUploadedFile:
    """n rows: half new projects (one new enterprise each, a leader, a new tag, a plan), half
    updates of existing ones (name, stage, leaders, plan changed)."""
    rows = []
    for i in range(n // 2):
        rows.append(
            row(
                f"NEW-{i}",
                业主企业=f"新企业{i}",
                包保领导="王立新",
                产业标签=f"标签{i}",
                **{"计划年度": year, "年度计划投资(万元)": 10},
            )
        )
        rows.append(
            row(
                f"OLD-{i}",
                name=f"改名{i}",
                项目阶段="竣工",
                包保领导="张强",
                **{"计划年度": year, "年度计划投资(万元)": 20},
            )
        )
    return xlsx(rows)


def test_import_query_count_does_not_grow_with_rows(org):
    user = Person.objects.get(user__username="jingfa_staff").user
    year = timezone.localdate().year
    leader = Person.objects.get(name="王立新")

    def queries(n):
        for i in range(n // 2):
            old = make_project(f"OLD-{i}", name=f"旧{i}")
            old.leaders.add(leader)
            AnnualPlan.objects.create(project=old, year=year, amount=Decimal(1))
        result = parse_projects(import_file(n, year), user)
        assert result.ok
        with CaptureQueriesContext(connection) as captured:
            outcome = services.import_projects(user, result)
        assert (outcome.created, outcome.updated) == (n // 2, n // 2)
        assert Project.objects.get(code="OLD-0").leaders.get() != leader
        Project.objects.all().delete()
        Enterprise.objects.all().delete()
        return len(captured)

    # 32 rows write 80 audit events: still one INSERT on SQLite (90 events per statement).
    small = queries(4)
    assert small == queries(32)
    assert small <= 30


def test_a_double_confirmation_or_a_forged_token_starts_nothing(staff, outsider, confirm):
    preview = upload(staff, xlsx([row("TWICE-1")]))
    job = import_job(confirm(staff, preview))
    # Another user with the same token gets no job and no import.
    response = outsider.post(
        reverse("projects:import_confirm"), {"token": preview.context["token"]}
    )
    assert response["Location"] == reverse("projects:import_upload")
    assert Job.objects.filter(kind="projects.import").get() == job


# --- export → edit → import (L11 part 9) --------------------------------------------------


def file_report(project, period, investment, progress, narrative="按计划推进"):
    return ProgressReport.objects.create(
        project=project,
        period_start=period.start,
        period_end=period.end,
        narrative=narrative,
        progress=progress,
        investment=Decimal(investment),
        submitted_at=timezone.now(),
    )


def this_and_last_period():
    kind = Thresholds.current().period_kind
    now = period_containing(timezone.localdate(), kind)
    return now, period_containing(now.start - dt.timedelta(days=1), kind)


def test_exported_ledger_edited_and_imported_again_changes_the_project(staff, confirm):
    year = timezone.localdate().year
    p = make_project("RT-1", total_investment=Decimal(5000), content="=建设内容")
    AnnualPlan.objects.create(project=p, year=year, amount=Decimal(1200))
    current, last = this_and_last_period()
    file_report(p, last, 300, 35)
    file_report(p, current, 200, 40, narrative="主体封顶")

    response = staff.get(reverse("projects:ledger_export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet["A1"].value == f"项目台账({year}年)"
    assert "单位:经济发展局" in sheet["A2"].value and "截至日期:" in sheet["A2"].value
    header = [c.value for c in sheet[SheetWriter.HEADER_ROW]]
    assert header[: len(HEADERS)] == HEADERS  # the import template's names, in its order
    values = dict(zip(header, [c.value for c in sheet[SheetWriter.HEADER_ROW + 1]], strict=True))
    assert values["年度计划投资(万元)"] == 1200
    assert values["当年完成投资(万元)"] == (500 if last.start.year == year else 200)
    assert values["累计完成投资(万元)"] == 500
    assert values["形象进度(%)"] == 40 and values["本期完成投资(万元)"] == 200
    assert values["进展情况"] == "主体封顶"
    assert values["最近填报"].startswith(current.label())

    def upload_sheet():
        out = io.BytesIO()
        workbook.save(out)
        return upload(staff, SimpleUploadedFile("台账.xlsx", out.getvalue()))

    # Re-imported as exported: the title rows and read-only columns are passed over.
    preview = upload_sheet()
    result = preview.context["result"]
    assert result.ok, [e.text for e in result.errors]
    assert [(r.code, r.changes) for r in result.to_update] == [("RT-1", [])]

    # A figure corrected and the plan raised, in Excel.
    column = {name: index + 1 for index, name in enumerate(header)}
    data_row = SheetWriter.HEADER_ROW + 1
    sheet.cell(data_row, column["本期完成投资(万元)"]).value = 260
    sheet.cell(data_row, column["年度计划投资(万元)"]).value = 1500
    preview = upload_sheet()
    (update,) = preview.context["result"].to_update
    assert update.changes == [f"{year}年年度计划投资(万元)", f"{current.label()}更正"]
    job = import_job(confirm(staff, preview))
    assert job.status == "done", job.params
    assert "填报或更正 1 期进度" in job.params["outcome"]["message"]
    assert p.annual_plans.get(year=year).amount == Decimal(1500)
    report = p.reports.get(period_start=current.start)
    assert (report.investment, report.progress, report.narrative) == (Decimal(260), 40, "主体封顶")
    event = AuditEvent.objects.get(
        model="projects.progressreport", object_id=str(report.pk), action="import_projects"
    )
    assert event.changes["investment"][1] == "260.00"
    p.refresh_from_db()
    assert p.content == "=建设内容"  # exported as text, read back as text


def test_monthly_figures_import_by_code_alone(org):
    user = Person.objects.get(user__username="jingfa_staff").user
    p = make_project("M-1")
    current, last = this_and_last_period()
    file_report(p, last, 100, 30)
    headers = ["项目编号", "填报期间", "本期完成投资(万元)"]
    file = xlsx([["M-1", current.start, 80], ["NEW-1", current.start, 10]], headers=headers)
    result = parse_projects(file, user)
    texts = [e.text for e in result.errors]
    assert "第3行:新建项目必须填写“项目名称”,文件中缺少这一列" in texts
    assert any("第3行 B列(填报期间):新建项目不能同时填报进度" in t for t in texts)

    file = xlsx([["M-1", current.start, 80]], headers=headers)
    result = parse_projects(file, user)
    assert result.ok, [e.text for e in result.errors]
    outcome = services.import_projects(user, result)
    assert (outcome.updated, outcome.reports) == (1, 1)
    report = p.reports.get(period_start=current.start)
    assert (report.investment, report.progress) == (Decimal(80), 30)  # 形象进度 carried over
    assert report.submitted_by.user == user
    p.refresh_from_db()
    assert p.name == "项目M-1" and p.stage == Stage.CONSTRUCTION  # columns left out: unchanged

    # A lower 形象进度 needs a reason, which the report form asks for and a sheet cannot hold.
    headers = ["项目编号", "填报期间", "形象进度(%)"]
    result = parse_projects(xlsx([["M-1", current.start, 20]], headers=headers), user)
    assert [e.text for e in result.errors] == [
        f"第2行 C列(形象进度(%)):形象进度低于上期({last.label()}为30%),"
        "请在项目页填报并说明进度回退原因"
    ]

    future = period_containing(current.end + dt.timedelta(days=1), current.kind)
    result = parse_projects(xlsx([["M-1", future.start, 5]], headers=headers), user)
    assert [e.text for e in result.errors] == [
        f"第2行 B列(填报期间):“{future.label()}”还没有到,不能填报"
    ]
