"""节假日调整 in the admin: entering or importing a year's arrangement recalculates the open
working-day items it moves, with an audit event, a timeline line and a message."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tuijin.core.models import AuditEvent
from tuijin.notify.models import Notification, Rule
from tuijin.supervision import services
from tuijin.supervision.holidays import HolidayRow
from tuijin.supervision.models import HolidayOverride, SupervisionItem
from tuijin.supervision.tests.factories import make_item

D = dt.date
DEC_28 = dt.datetime(2026, 12, 28, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def item(org):
    """Assigned on 28 December 2026 with 5 working days: 5 January 2027 on statutory days."""
    Rule.ensure_defaults()
    with time_machine.travel(DEC_28):
        item, warning = services.assign_item(
            user("duban"),
            title="园区道路破损修复",
            requirement="五个工作日内修复",
            result_standard="路面修复完成",
            lead_unit=make_item().lead_unit,
            deadline_mode="working",
            deadline_days=5,
        )
    assert item.deadline == D(2027, 1, 5) and "2027年" in warning
    return item


def xlsx(rows, headers=("日期", "是否上班", "说明"), name="2027.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


IMPORT = reverse("admin:supervision_holidayoverride_import")


def test_entering_a_make_up_saturday_moves_the_item_with_history_and_a_message(
    item, admin_client_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:supervision_holidayoverride_add"),
            {"date": "2027-01-02", "is_workday": "on", "note": "调休上班"},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    # Dec 29, 30, 31, Sat Jan 2 (make-up), Jan 4.
    assert item.deadline == item.original_deadline == D(2027, 1, 4)
    event = AuditEvent.objects.filter(
        model="supervision.supervisionitem", object_id=str(item.pk)
    ).first()
    assert event.action == "apply_holiday_calendar" and event.actor_repr == "系统管理员"
    assert event.changes["deadline"] == ["2027-01-05", "2027-01-04"]
    override = HolidayOverride.objects.get()
    assert AuditEvent.objects.filter(
        model="supervision.holidayoverride", object_id=str(override.pk), action="create"
    ).exists()
    assert "节假日安排调整" in item.activities.get(verb="apply_holiday_calendar").text
    notes = Notification.objects.filter(title="督办期限调整:园区道路破损修复")
    assert notes.exists()
    assert "期限由2027年1月5日调整为2027年1月4日" in notes.first().body
    history = admin_client_.get(reverse("history", args=["supervision.supervisionitem", item.pk]))
    assert "按节假日安排调整期限" in history.content.decode()
    assert (
        "data-holidays-unannounced"
        not in admin_client_.get(item.get_absolute_url()).content.decode()
    )


def test_items_the_change_does_not_reach_are_left_alone(item, admin_client_):
    extended = make_item(
        assigned_on=D(2026, 12, 28),
        original_deadline=D(2027, 1, 5),
        deadline=D(2027, 1, 20),
        deadline_mode="working",
        deadline_days=5,
    )
    closed = make_item(
        assigned_on=D(2026, 12, 28),
        deadline=D(2027, 1, 5),
        deadline_mode="working",
        deadline_days=5,
        state="closed",
    )
    by_date = make_item(assigned_on=D(2026, 12, 28), deadline=D(2027, 1, 5))
    before = {i.pk: (i.deadline, i.version) for i in (extended, closed, by_date)}
    HolidayOverride.objects.create(date=D(2027, 1, 2), is_workday=True)
    moved = services.apply_holiday_calendar(user("admin"), [D(2027, 1, 2)])
    assert [i.pk for i in moved] == [item.pk]
    after = SupervisionItem.objects.filter(pk__in=before).values_list("pk", "deadline", "version")
    assert {pk: (deadline, version) for pk, deadline, version in after} == before


def test_deleting_the_override_moves_the_item_back(item, admin_client_):
    override = HolidayOverride.objects.create(date=D(2027, 1, 2), is_workday=True)
    services.apply_holiday_calendar(user("admin"), [override.date])
    item.refresh_from_db()
    assert item.deadline == D(2027, 1, 4)
    response = admin_client_.post(
        reverse("admin:supervision_holidayoverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == D(2027, 1, 5)


def test_the_import_saves_every_row_and_recalculates(item, admin_client_):
    upload = xlsx(
        [
            ("2027-01-02", "上班", "元旦调休上班"),
            (dt.date(2027, 2, 9), "休息", "春节"),
            ("2027/2/20", "是", "春节调休上班"),
        ]
    )
    response = admin_client_.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    assert HolidayOverride.objects.count() == 3
    assert not HolidayOverride.objects.get(date=D(2027, 2, 9)).is_workday
    item.refresh_from_db()
    assert item.deadline == D(2027, 1, 4)
    assert AuditEvent.objects.filter(action="import_holidays").count() == 3
    assert AuditEvent.objects.filter(action="apply_holiday_calendar").count() == 1


def test_the_import_refuses_a_bad_row_names_it_in_chinese_and_saves_nothing(item, admin_client_):
    upload = xlsx([("2027-01-02", "上班", "元旦调休上班"), ("2027-02-09", "休假", "春节")])
    response = admin_client_.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第3行 B列(是否上班):“休假”无法识别" in html
    assert "未导入任何一行" in html
    assert HolidayOverride.objects.count() == 0
    item.refresh_from_db()
    assert item.deadline == D(2027, 1, 5)


@pytest.mark.parametrize(
    ("rows", "headers", "message"),
    [
        ([("2027-02-30", "休息", "")], None, "第2行 A列(日期):“2027-02-30”不是有效的日期"),
        ([("2027年2月", "休息", "")], None, "第2行 A列(日期):“2027年2月”缺少日"),
        ([("2027-02-09", None, "春节")], None, "第2行 B列(是否上班):是否上班不能为空"),
        (
            [("2027-01-02", "上班", ""), ("2027-01-02", "休息", "")],
            None,
            "第3行 A列(日期):2027-01-02 与第2行重复",
        ),
        ([("2027-01-02", "上班", "")], ("日期", "上班", "说明"), "第1行 B列(是否上班):表头应为"),
    ],
)
def test_the_import_names_the_row_and_column_of_each_mistake(
    org, admin_client_, rows, headers, message
):
    upload = xlsx(rows, headers=headers or ("日期", "是否上班", "说明"))
    html = admin_client_.post(IMPORT, {"file": upload}).content.decode()
    assert message in html
    assert HolidayOverride.objects.count() == 0


def test_the_import_refuses_a_file_that_is_not_xlsx(org, admin_client_):
    upload = SimpleUploadedFile("2027.csv", b"date,workday\n")
    html = admin_client_.post(IMPORT, {"file": upload}).content.decode()
    assert "“2027.csv”不是 Excel .xlsx 文件" in html
    assert HolidayOverride.objects.count() == 0


def test_only_admins_set_the_holiday_calendar(org, supervisor):
    assert supervisor.get(IMPORT).status_code == 302  # to the admin login
    with pytest.raises(PermissionDenied):
        services.import_holidays(user("duban"), [HolidayRow(2, D(2027, 1, 2), True)])
    assert HolidayOverride.objects.count() == 0


def test_the_admin_list_shows_each_year_and_the_import(org, admin_client_):
    HolidayOverride.objects.create(date=D(2027, 1, 2), is_workday=True, note="调休上班")
    # The login session is today's: the page lists last year to two years ahead of today.
    html = admin_client_.get(
        reverse("admin:supervision_holidayoverride_changelist")
    ).content.decode()
    assert "从 Excel 导入" in html and "星期六" in html and "上班" in html
    assert "由 chinesecalendar 提供官方安排" in html  # 2026
    assert "已录入本年安排" in html  # 2027
    assert "节假日安排未公布" in html  # 2028
    template = admin_client_.get(reverse("admin:supervision_holidayoverride_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"
