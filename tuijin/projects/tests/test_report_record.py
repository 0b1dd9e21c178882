"""L11 part 6, monthly reports that keep the record honest: the form proposes the earliest
period still owed; a period never reported stays 缺报 (and never 绿) after a later one is
filed; a 形象进度 lower than the previous report needs a reason, stored and audited."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.projects.models import Light, PeriodLight, ProgressReport
from tuijin.projects.periods import period_containing
from tuijin.projects.services import freeze_period_lights, refresh_lights, submit_report
from tuijin.projects.tests.factories import make_project, report

DEC_6 = dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC)  # November's report was due Dec 5
JAN_5 = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)
OCTOBER = period_containing(dt.date(2026, 10, 1), "month")


@pytest.fixture
def skipped_october(org):
    """On the ledger since January, reported January–September at 10% … 90%: October and
    November are missing on December 6."""
    with time_machine.travel(JAN_5):
        project = make_project("城东污水处理厂")
    for month in range(1, 10):
        report(project, dt.date(2026, month, 1), progress=month * 10)
    return project


def form_page(client, project) -> str:
    return client.get(reverse("projects:report_create", args=[project.pk])).content.decode()


def post_report(client, project, period, progress="95", **extra):
    data = {"period": period, "narrative": "主体完工", "progress": progress, "investment": "0"}
    return client.post(reverse("projects:report_create", args=[project.pk]), data | extra)


def test_the_form_proposes_the_earliest_period_still_owed(leader, skipped_october):
    with time_machine.travel(DEC_6):
        html = form_page(leader, skipped_october)
    assert '<option value="2026-10-01" selected>2026年10月(缺报)</option>' in html
    assert "2026年11月(缺报)" in html and "2026年9月(已填报)" in html
    assert "缺报周期:2026年10月、2026年11月" in html
    assert "上期(2026年9月)为90%" in html


def test_periods_before_the_project_was_entered_are_not_owed(leader, org):
    with time_machine.travel(dt.datetime(2026, 11, 15, 2, tzinfo=dt.UTC)):
        project = make_project("新录入项目")
    with time_machine.travel(DEC_6):
        html = form_page(leader, project)
    assert '<option value="2026-11-01" selected>2026年11月(缺报)</option>' in html
    assert "2026年10月(缺报)" not in html


def test_a_missed_period_stays_missing_after_a_later_one_is_filed(leader, skipped_october):
    with time_machine.travel(DEC_6):
        assert post_report(leader, skipped_october, "2026-11-01").status_code == 302
        html = form_page(leader, skipped_october)
        page = leader.get(skipped_october.get_absolute_url()).content.decode()
    # The form still asks for October first.
    assert '<option value="2026-10-01" selected>2026年10月(缺报)</option>' in html
    # The project's record shows October as missing between September and November.
    assert 'id="missing-2026-10-01"' in page and 'id="missing-2026-11-01"' not in page
    november = ProgressReport.objects.get(project=skipped_october, period_start="2026-11-01")
    assert page.index(f'id="report-{november.pk}"') < page.index('id="missing-2026-10-01"')


def test_a_period_never_reported_is_never_frozen_green(leader, skipped_october):
    report(skipped_october, dt.date(2026, 11, 1), progress=95)  # November filed on time
    with time_machine.travel(DEC_6):
        refresh_lights([skipped_october])
        skipped_october.refresh_from_db()
        assert skipped_october.light == Light.GREEN  # one gap is not the stale rule's two
        freeze_period_lights(OCTOBER)
        record = PeriodLight.objects.get(project=skipped_october, period_start=OCTOBER.start)
        assert record.light == Light.YELLOW
        assert record.reasons[-1]["text"] == "2026年10月未填报进度"
        page = leader.get(skipped_october.get_absolute_url()).content.decode()
        assert "缺报" in page
        # Made up in December: yellow as a late report, still not green.
        response = post_report(leader, skipped_october, "2026-10-01", progress="92")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.light == Light.YELLOW and record.reasons[-1]["rule"] == "made_up"


def test_an_old_green_row_of_a_missed_period_is_not_shown_green(leader, skipped_october):
    PeriodLight.objects.create(
        project=skipped_october, period_start=OCTOBER.start, light="green", frozen_light="green"
    )
    with time_machine.travel(DEC_6):
        page = leader.get(skipped_october.get_absolute_url()).content.decode()
    strip = page[page.index('id="period-lights"') :]
    strip = strip[: strip.index("</div>")]
    assert "tj-light-green" not in strip and "缺报" in strip


def test_lower_progress_asks_for_a_reason_and_keeps_it(leader, skipped_october):
    with time_machine.travel(DEC_6):
        refused = post_report(leader, skipped_october, "2026-10-01", progress="80")
        assert refused.status_code == 200
        assert "进度回退原因:形象进度低于上期(90%),请填写进度回退原因。" in (
            refused.content.decode()
        )
        assert not ProgressReport.objects.filter(period_start=OCTOBER.start).exists()
        saved = post_report(
            leader,
            skipped_october,
            "2026-10-01",
            progress="80",
            progress_drop_reason="二期土方核减,按新口径重算",
        )
        page = leader.get(skipped_october.get_absolute_url()).content.decode()
    assert saved.status_code == 302
    october = ProgressReport.objects.get(project=skipped_october, period_start=OCTOBER.start)
    assert october.progress == 80
    assert october.progress_drop_reason == "二期土方核减,按新口径重算"
    event = AuditEvent.objects.get(model="projects.progressreport", object_id=str(october.pk))
    assert event.changes["progress_drop_reason"] == [None, "二期土方核减,按新口径重算"]
    assert "进度回退原因:</span>二期土方核减,按新口径重算" in page


def test_the_service_refuses_lower_progress_without_a_reason(leader, skipped_october):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="leader")
    with time_machine.travel(DEC_6), pytest.raises(ValidationError) as refused:
        submit_report(user, skipped_october, period_start=OCTOBER.start, narrative="x", progress=5)
    assert "progress_drop_reason" in refused.value.message_dict
    assert not ProgressReport.objects.filter(period_start=OCTOBER.start).exists()
    # Equal or higher progress needs none, and a reason given anyway is not kept.
    with time_machine.travel(DEC_6):
        kept = submit_report(
            user,
            skipped_october,
            period_start=OCTOBER.start,
            narrative="x",
            progress=90,
            progress_drop_reason="无",
        )
    assert kept.progress_drop_reason == ""


def test_months_before_the_first_report_are_not_listed_as_missing(leader, org):
    """Entered from the paper ledger in 2025, reporting in Tuijin since January 2026."""
    with time_machine.travel(dt.datetime(2025, 3, 1, 2, tzinfo=dt.UTC)):
        project = make_project("从纸质台账录入的项目")
    for month in range(1, 10):
        report(project, dt.date(2026, month, 1), progress=month * 10)
    with time_machine.travel(DEC_6):
        page = leader.get(project.get_absolute_url()).content.decode()
    assert 'id="missing-2026-10-01"' in page and 'id="missing-2026-11-01"' in page
    assert 'id="missing-2025-12-01"' not in page
