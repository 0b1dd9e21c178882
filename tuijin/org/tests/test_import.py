"""Bulk import of units and people from .xlsx: template, preview, all-or-nothing, errors naming
the sheet, row and column, initial passwords shown once and changed at first login."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from tuijin.core.models import AuditEvent
from tuijin.org import services
from tuijin.org.imports import PEOPLE_SHEET, UNIT_SHEET, parse_upload, write_template
from tuijin.org.models import Person, Role, Unit
from tuijin.org.passwords import MUST_CHANGE, change_reason

pytestmark = pytest.mark.django_db

UNITS = [
    ["商务局", "随州高新区", "部门", "", ""],
    ["城西产业园", "随州高新区", "园区", "城西园", "105"],
    ["城西一社区", "城西产业园", "社区", "", ""],  # its parent is a row of this sheet
]
PEOPLE = [
    ["黄海", "huanghai", "商务局", "单位负责人", "局长", "13800000001"],
    ["林静", "linjing", "城西产业园", "单位工作人员", "", ""],
    ["马超", "", "经济发展局", "包保干部", "副局长", ""],  # no account
]


def workbook(units=UNITS, people=PEOPLE) -> SimpleUploadedFile:
    """The downloaded template, filled in."""
    out = io.BytesIO()
    write_template(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    for row in units:
        book[UNIT_SHEET].append(row)
    for row in people:
        book[PEOPLE_SHEET].append(row)
    filled = io.BytesIO()
    book.save(filled)
    return SimpleUploadedFile("干部名单.xlsx", filled.getvalue())


def upload(client, file):
    return client.post(reverse("org:import_upload"), {"file": file})


def confirm(client, response, **data):
    return client.post(reverse("org:import_confirm"), {"token": response.context["token"], **data})


def test_the_template_has_both_sheets_with_the_model_fields(admin_client_):
    response = admin_client_.get(reverse("org:import_template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == ["单位", "人员", "填写说明"]
    header = next(book["人员"].iter_rows(values_only=True))
    assert list(header) == ["姓名", "用户名", "单位", "角色", "职务", "电话"]


def test_only_admins_may_import(org, unit_head, inspector):
    for client in (unit_head, inspector):
        assert client.get(reverse("org:import_upload")).status_code == 403
        assert upload(client, workbook()).status_code == 403
    assert not Unit.objects.filter(name="商务局").exists()


def test_an_admin_previews_then_imports_units_and_people(org, admin_client_):
    preview = upload(admin_client_, workbook())
    assert preview.status_code == 200, preview.context["errors"]
    assert "将新建 3 个单位、3 名人员(其中 2 人开通账号)" in preview.content.decode()
    assert not Unit.objects.filter(name="商务局").exists()  # nothing saved yet

    done = confirm(admin_client_, preview)
    assert done.status_code == 200
    assert done["Cache-Control"].startswith("max-age=0")
    community = Unit.objects.get(name="城西一社区")
    assert community.is_within(Unit.objects.get(name="城西产业园"))
    assert Unit.objects.get(name="城西产业园").short_name == "城西园"
    huang = Person.objects.get(name="黄海")
    assert (huang.unit.name, huang.role, huang.phone) == ("商务局", Role.UNIT_HEAD, "13800000001")
    assert Person.objects.get(name="马超").user is None
    assert AuditEvent.objects.filter(action="import_org", model="org.person").count() == 3

    # Each account's random initial password is shown once, and must be changed at first login.
    passwords = {person.user.username: pw for person, pw in done.context["accounts"]}
    assert set(passwords) == {"huanghai", "linjing"}
    assert escape(passwords["huanghai"]) in done.content.decode()
    client = Client()
    client.post(reverse("login"), {"username": "huanghai", "password": passwords["huanghai"]})
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_an_admin_chosen_initial_password_must_pass_the_rules(org, admin_client_):
    preview = upload(admin_client_, workbook())
    refused = confirm(admin_client_, preview, initial_password="kaifaqu2026")
    assert "至少3类" in refused.content.decode()
    assert not Unit.objects.filter(name="商务局").exists()
    done = confirm(admin_client_, preview, initial_password="Chushi#2026")
    assert done.status_code == 200
    assert get_user_model().objects.get(username="linjing").check_password("Chushi#2026")


def test_one_bad_row_saves_nothing_and_names_sheet_row_and_column(org, admin_client_):
    people = [*PEOPLE, ["赵六", "jingfa", "不存在的局", "局长大人", "", ""]]
    response = upload(admin_client_, workbook(people=people))
    page = response.content.decode()
    assert "没有保存任何数据" in page
    errors = [e.text for e in response.context["errors"]]
    assert "“人员”表第5行 B列(用户名):用户名“jingfa”已被使用" in errors
    assert "“人员”表第5行 C列(单位):“不存在的局”既不是系统中的单位,也不在“单位”表中" in errors
    assert any(e.startswith("“人员”表第5行 D列(角色):“局长大人”不是有效的角色") for e in errors)
    assert response.context["token"] == ""
    assert not Unit.objects.filter(name="商务局").exists()
    assert not Person.objects.filter(name="黄海").exists()


def test_unit_rows_are_checked(org):
    units = [
        ["经济发展局", "随州高新区", "部门", "", ""],  # exists
        ["A园", "B园", "园区", "", ""],
        ["B园", "A园", "园区", "", ""],  # a circle
        ["孤岛局", "", "部门", "", "第一"],
    ]
    plan = parse_upload(workbook(units=units, people=[]), "x.xlsx")
    texts = [e.text for e in plan.errors]
    assert "“单位”表第2行 A列(单位名称):系统中已有单位“经济发展局”" in texts
    assert any("第3行 B列(上级单位):上级单位关系成环" in t for t in texts)
    assert any("第5行 E列(排序)" in t for t in texts)
    assert not plan.ok


def test_a_wrong_file_is_refused_in_chinese(org, admin_client_):
    bad = SimpleUploadedFile("名单.xlsx", b"not a workbook")
    assert "“名单.xlsx”不是 Excel .xlsx 文件" in upload(admin_client_, bad).content.decode()
    csv = SimpleUploadedFile("名单.csv", b"a,b")
    assert "“名单.csv”不是 Excel .xlsx 文件" in upload(admin_client_, csv).content.decode()


def test_an_oversized_upload_is_refused(org, admin_client_, settings):
    settings.UPLOAD_SPREADSHEET_MAX_MB = 1
    big = SimpleUploadedFile("名单.xlsx", b"PK\x03\x04" + bytes(1024 * 1024))
    html = upload(admin_client_, big).content.decode()
    assert "“名单.xlsx”大小为 1.0 MB,超过单个文件 1 MB 的上限" in html


def test_a_cell_over_the_length_limit_is_refused_naming_its_place(org, admin_client_, settings):
    settings.XLSX_MAX_CELL_CHARS = 50  # Excel's 32,767 by default; the same check
    long_name = "城" * 60 + "产业园"
    units = [[long_name, "随州高新区", "园区", "", ""]]
    html = upload(admin_client_, workbook(units=units, people=[])).content.decode()
    assert "“干部名单.xlsx”的“单位”表第2行 A列有 63 个字符,超过单元格 50 个字符的上限。" in html
    assert not Unit.objects.filter(name=long_name).exists()


def test_a_zip_bomb_named_xlsx_is_refused(org, admin_client_):
    from tuijin.core.tests.hostile import xlsx_with_cell

    bomb = SimpleUploadedFile("名单.xlsx", xlsx_with_cell("x", megabytes=300))
    html = upload(admin_client_, bomb).content.decode()
    assert "“名单.xlsx”中的“xl/worksheets/sheet1.xml”压缩比超过 100:1 的上限" in html


def test_the_service_refuses_non_admins(org):
    plan = parse_upload(workbook(), "x.xlsx")
    with pytest.raises(PermissionDenied, match="系统管理员"):
        services.import_organisation(get_user_model().objects.get(username="jingfa"), plan)
    assert not Unit.objects.filter(name="商务局").exists()


class DepthRecordingHasher(MD5PasswordHasher):
    """Notes how many atomic blocks are open whenever a password is hashed."""

    depths: list[int] = []

    def encode(self, password, salt):
        self.depths.append(len(connection.atomic_blocks))
        return super().encode(password, salt)


def test_passwords_are_hashed_before_the_import_transaction_opens(org, settings):
    """Argon2 costs ~0.2 s of CPU per account: hashed inside the transaction, 3,000 accounts
    would hold the database for minutes."""
    settings.PASSWORD_HASHERS = [f"{__name__}.DepthRecordingHasher"]
    DepthRecordingHasher.depths = []
    admin = get_user_model().objects.get(username="admin")
    plan = parse_upload(workbook(), "x.xlsx")
    outside = len(connection.atomic_blocks)
    accounts = services.import_organisation(admin, plan)
    assert DepthRecordingHasher.depths == [outside, outside]  # one per account, none inside
    person, password = accounts[0]
    assert person.user.check_password(password)
    assert change_reason(person.user) == MUST_CHANGE
