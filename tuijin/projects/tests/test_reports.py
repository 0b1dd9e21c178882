"""Progress reports: the light recalculates at once; late reports and period lights stay honest."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tuijin.core.models import AuditEvent
from tuijin.projects.models import Light, PeriodLight, ProjectFile
from tuijin.projects.periods import period_containing
from tuijin.projects.services import freeze_period_lights, refresh_lights
from tuijin.projects.tests.factories import make_project, plan, report

NOV_20 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def jpeg(taken="2026:11:19 09:30:00") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (32, 24), "red")
    exif = Image.Exif()
    exif[0x0132] = taken  # DateTime
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def behind(org):
    """Under construction, 12,000万 planned for 2026, only 3,000 done by October: red."""
    project = make_project("犇星二期年产3万吨新能源电解液", leaders=["leader"])
    plan(project, 12000, year=2026)
    for month in range(1, 11):
        report(project, dt.date(2026, month, 1), investment=300)
    with time_machine.travel(NOV_20):
        refresh_lights([project])
    project.refresh_from_db()
    assert project.light == Light.RED
    return project


def post_report(client, project, period="2026-11-01", investment="7000", **extra):
    data = {
        "period": period,
        "narrative": "设备安装完成60%",
        "progress": "60",
        "investment": investment,
        "problems": "",
        **extra,
    }
    return client.post(reverse("projects:report_create", args=[project.pk]), data)


def test_a_report_recalculates_the_light_at_once(leader, behind):
    with time_machine.travel(NOV_20):
        response = post_report(leader, behind, photos=[jpeg()])
    assert response.status_code == 302
    behind.refresh_from_db()
    assert behind.light == Light.GREEN
    photo = ProjectFile.objects.get(report__project=behind)
    assert photo.kind == "photo"
    assert photo.taken_at == dt.datetime(2026, 11, 19, 1, 30, tzinfo=dt.UTC)  # 09:30 CST
    event = AuditEvent.objects.filter(model="projects.progressreport").latest("id")
    assert event.action == "submit_report" and event.actor_repr == "王立新"


def test_the_success_message_names_the_new_light(leader, behind):
    with time_machine.travel(NOV_20):
        response = post_report(leader, behind)
        page = leader.get(response["Location"]).content.decode()
    assert "2026年11月进度已填报,项目当前为绿灯。" in page


def test_bad_input_names_the_field_and_keeps_what_was_typed(leader, behind):
    with time_machine.travel(NOV_20):
        response = post_report(leader, behind, investment="-1", progress="150")
    html = response.content.decode()
    assert response.status_code == 200
    assert "本期完成投资(万元):" in html and "形象进度(%):" in html
    assert "设备安装完成60%" in html


def test_a_period_can_be_reported_once(leader, behind):
    with time_machine.travel(NOV_20):
        html = post_report(leader, behind, period="2026-10-01").content.decode()
    assert "2026年10月已经填报过" in html


def test_non_image_photos_are_refused(leader, behind):
    fake = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    with time_machine.travel(NOV_20):
        html = post_report(leader, behind, photos=[fake]).content.decode()
    assert "“a.txt”不是照片" in html


def test_an_empty_photo_is_refused_by_its_name_and_nothing_is_saved(leader, behind):
    empty = SimpleUploadedFile("空.jpg", b"", content_type="image/jpeg")
    url = reverse("projects:file_upload", args=[behind.pk])
    response = leader.post(url, {"kind": "photo", "files": [empty]}, follow=True)
    assert "“空.jpg”是空文件(0 字节),请重新选择。" in response.content.decode()
    assert not ProjectFile.objects.filter(project=behind).exists()


def test_who_may_report(staff, outsider, inspector, liaison, behind):
    url = reverse("projects:report_create", args=[behind.pk])
    assert staff.get(url).status_code == 200  # responsible unit
    assert outsider.get(url).status_code == 404  # not visible
    assert inspector.get(url).status_code == 403  # visible, read-only
    assert liaison.get(url).status_code == 404


def test_assigned_cadre_may_report(org, behind):
    from conftest import login_as
    from tuijin.org.models import Person

    behind.leaders.add(Person.objects.get(user__username="zhaoshang"))
    client = login_as("zhaoshang")
    assert client.get(reverse("projects:report_create", args=[behind.pk])).status_code == 200


def test_period_light_made_up_later_shows_yellow_never_green(leader, org):
    project = make_project("文帝学校", stage="construction")
    plan(project, 1200, year=2026)
    for month in range(1, 9):
        report(project, dt.date(2026, month, 1), investment=10)  # 80 done by August
    september = period_containing(dt.date(2026, 9, 1), "month")
    # Frozen after September's due date: 900 expected, 80 done, September missing → red.
    with time_machine.travel(dt.datetime(2026, 10, 7, 2, tzinfo=dt.UTC)):
        freeze_period_lights(september)
    record = PeriodLight.objects.get(project=project, period_start=september.start)
    assert record.light == record.frozen_light == Light.RED
    # In November the unit makes up September with the missing investment.
    with time_machine.travel(NOV_20):
        response = post_report(leader, project, period="2026-09-01", investment="900")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.frozen_light == Light.RED
    assert record.light == Light.YELLOW
    assert record.reasons[-1]["text"] == "2026年9月进度为逾期补报(原为红灯)"


def test_freezing_twice_keeps_one_row(org):
    project = make_project("南外环", park="府南产业园")
    september = period_containing(dt.date(2026, 9, 1), "month")
    with time_machine.travel(NOV_20):
        assert freeze_period_lights(september) == 1
        assert freeze_period_lights(september) == 0
    assert PeriodLight.objects.filter(project=project).count() == 1


def test_late_reports_are_marked_on_the_timeline(leader, org):
    project = make_project("城东水厂", park="铁北产业园")
    late = report(project, dt.date(2026, 9, 1))
    late.submitted_at = dt.datetime(2026, 10, 20, 2, tzinfo=dt.UTC)
    late.save()
    report(project, dt.date(2026, 10, 1))  # submitted on the period's last day: on time
    html = leader.get(project.get_absolute_url()).content.decode()
    assert html.count("迟报") == 1


def test_a_frozen_period_ignores_what_was_filed_later(org):
    """Frozen on Oct 7 (September due Oct 6): 900 expected. Only 80 was known then."""
    late_filer = make_project("团结激光产业园", park="城东产业园")
    early_filer = make_project("深圳吉瑞达", park="城东产业园")
    for project in (late_filer, early_filer):
        plan(project, 1200, year=2026)
        for month in range(1, 9):
            report(project, dt.date(2026, month, 1), investment=10)
    # September made up in November: not known when the period froze.
    late = report(late_filer, dt.date(2026, 9, 1), investment=900)
    late.submitted_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    late.save()
    # October reported early (Oct 3): a later period does not count for September.
    early = report(early_filer, dt.date(2026, 10, 1), investment=900)
    early.submitted_at = dt.datetime(2026, 10, 3, tzinfo=dt.UTC)
    early.save()
    september = period_containing(dt.date(2026, 9, 1), "month")
    with time_machine.travel(NOV_20):
        freeze_period_lights(september)
    lights = dict(
        PeriodLight.objects.filter(period_start=september.start).values_list(
            "project__name", "frozen_light"
        )
    )
    assert lights == {"团结激光产业园": Light.RED, "深圳吉瑞达": Light.RED}
