"""Background jobs: exports past the inline limit run on the queue, scoped to their owner,
with progress on a page that polls itself, a download only the owner gets, and a cleanup."""

import datetime as dt
import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from conftest import unit
from tuijin.core import jobs
from tuijin.core.models import Job
from tuijin.core.xlsx import table_rows
from tuijin.projects.tests.factories import make_project
from tuijin.supervision.tests.factories import make_item

LEDGER = "projects.ledger_export"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def user(username: str):
    return get_user_model().objects.get(username=username)


def ledger_params(username: str, query: str = "") -> dict:
    return {"query": query, "user_id": user(username).pk}


def run(django_capture_on_commit_callbacks, username, kind=LEDGER, params=None) -> Job:
    """Start a job and let it run (the queue runs tasks immediately in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(
            user(username), kind, "导出项目台账", params or ledger_params(username)
        )
    job.refresh_from_db()
    return job


def workbook_rows(content: bytes) -> list[tuple]:
    return table_rows(load_workbook(io.BytesIO(content)).active)


def codes(job: Job) -> set[str]:
    with job.result.open("rb") as fh:
        return {row[0] for row in workbook_rows(fh.read())[1:]}


@pytest.fixture
def projects(org):
    mine = [make_project(f"经发项目{i}", code=f"MINE-{i}") for i in range(3)]
    other = make_project("城东项目", code="OTHER-1", park="城东产业园", unit="城东产业园")
    return mine, other


# --- running a job ------------------------------------------------------------------------


def test_a_ledger_job_exports_only_what_its_owner_sees(
    projects, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, "jingfa_staff")
    assert (job.status, job.progress, job.done_count, job.total_count) == ("done", 100, 3, 3)
    assert codes(job) == {"MINE-0", "MINE-1", "MINE-2"}
    assert job.result.name.startswith("jobs/") and job.result_name.startswith("项目台账-")
    assert job.finished_at is not None and job.error == ""

    job = run(django_capture_on_commit_callbacks, "leader")
    assert codes(job) == {"MINE-0", "MINE-1", "MINE-2", "OTHER-1"}


def test_a_job_keeps_the_pages_filters(projects, django_capture_on_commit_callbacks):
    query = f"park={unit('城东产业园').pk}"
    job = run(django_capture_on_commit_callbacks, "leader", params=ledger_params("leader", query))
    assert codes(job) == {"OTHER-1"}
    # The same filter for the staff member: nothing they may see, an empty sheet.
    staff_params = ledger_params("jingfa_staff", query)
    job = run(django_capture_on_commit_callbacks, "jingfa_staff", params=staff_params)
    assert job.status == "done" and codes(job) == set()


def test_a_job_runs_with_its_owners_scope_not_the_params_user(
    projects, django_capture_on_commit_callbacks
):
    params = ledger_params("leader")  # a leader's id in a staff member's job
    job = run(django_capture_on_commit_callbacks, "jingfa_staff", params=params)
    assert job.status == "failed" and job.error == "任务参数与发起人不符"
    assert not job.result


def test_the_request_stand_in_carries_the_owner_and_the_query(org):
    job = Job(
        owner=user("jingfa_staff"),
        kind=LEDGER,
        params=ledger_params("jingfa_staff", "stage=construction&q=犇星"),
    )
    request = jobs.job_request(job)
    assert request.user == user("jingfa_staff")
    assert request.GET.dict() == {"stage": "construction", "q": "犇星"}


def test_progress_is_written_every_two_percent_at_most(org, django_assert_num_queries):
    job = Job.objects.create(owner=user("leader"), kind=LEDGER, title="t")
    report = jobs.progress_reporter(job.pk)
    with django_assert_num_queries(51):  # 0 %, 2 %, … 100 %
        report(0, 1000)
        for done in range(1, 1001):
            report(done, 1000)
    job.refresh_from_db()
    assert (job.progress, job.done_count, job.total_count) == (100, 1000, 1000)


def test_progress_of_an_empty_job_is_complete(org):
    job = Job.objects.create(owner=user("leader"), kind=LEDGER, title="t")
    jobs.progress_reporter(job.pk)(0, 0)
    job.refresh_from_db()
    assert job.progress == 100


def boom(job, report_progress):
    report_progress(1, 4)
    raise ZeroDivisionError


def refuse(job, report_progress):
    raise jobs.JobError("数据太多,请缩小筛选范围")


def test_a_failing_job_records_a_chinese_error(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(jobs.JOB_FUNCTIONS, "test.boom", f"{__name__}.boom")
    monkeypatch.setitem(jobs.JOB_FUNCTIONS, "test.refuse", f"{__name__}.refuse")
    job = run(django_capture_on_commit_callbacks, "leader", kind="test.boom")
    assert job.status == "failed" and job.progress == 25 and not job.result
    assert job.error == "任务执行出错,请稍后重试;如仍失败请联系管理员"
    assert job.finished_at is not None
    job = run(django_capture_on_commit_callbacks, "leader", kind="test.refuse")
    assert (job.status, job.error) == ("failed", "数据太多,请缩小筛选范围")

    page = login_client("leader").get(job.get_absolute_url())
    assert "数据太多,请缩小筛选范围" in page.content.decode()
    assert 'hx-trigger="every 1s"' not in page.content.decode()


def settle(job, report_progress):
    report_progress(50, 100)
    return jobs.Outcome("已导入 3 条", link="/projects/", link_text="查看项目台账")


def test_a_job_without_a_file_shows_its_outcome_and_a_link(
    org, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(jobs.JOB_FUNCTIONS, "test.import", f"{__name__}.settle")
    job = run(django_capture_on_commit_callbacks, "leader", kind="test.import")
    assert (job.status, job.progress, job.result.name) == ("done", 100, "")
    assert job.params["outcome"] == {
        "message": "已导入 3 条",
        "link": "/projects/",
        "link_text": "查看项目台账",
    }
    html = login_client("leader").get(job.get_absolute_url()).content.decode()
    assert "已导入 3 条" in html and 'href="/projects/" id="job-outcome-link"' in html
    assert "job-download" not in html and "已处理" not in html  # steps, not rows


def test_a_job_runs_once(projects, django_capture_on_commit_callbacks):
    job = run(django_capture_on_commit_callbacks, "leader")
    assert jobs.execute(job.pk) == "skipped"


def test_the_same_unfinished_job_is_not_started_twice(projects, django_capture_on_commit_callbacks):
    params = ledger_params("leader", "stage=construction")
    first = jobs.start_job(user("leader"), LEDGER, "导出项目台账", params)  # not run yet
    assert jobs.start_job(user("leader"), LEDGER, "导出项目台账", params) == first
    other = jobs.start_job(user("leader"), LEDGER, "导出项目台账", ledger_params("leader"))
    assert other != first
    assert jobs.execute(first.pk) == "done"
    assert jobs.start_job(user("leader"), LEDGER, "导出项目台账", params) != first


def test_an_unknown_kind_cannot_be_started(org):
    with pytest.raises(ValueError):
        jobs.start_job(user("leader"), "no.such", "x", {})


# --- the pages ----------------------------------------------------------------------------


def login_client(username: str):
    from conftest import login_as

    return login_as(username)


def test_status_page_and_partial_show_the_percentage(staff):
    job = Job.objects.create(
        owner=user("jingfa_staff"),
        kind=LEDGER,
        title="导出项目台账",
        status="running",
        progress=42,
        done_count=840,
        total_count=2000,
    )
    page = staff.get(reverse("job_status", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "导出项目台账" in html and "正在导出…" in html and "42%" in html
    assert 'aria-valuenow="42"' in html and "已处理 840 / 2000 条" in html
    assert 'hx-trigger="every 1s"' in html and f'hx-get="/jobs/{job.pk}/"' in html

    partial = staff.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and "42%" in html and 'hx-trigger="every 1s"' in html

    Job.objects.filter(pk=job.pk).update(status="done", progress=100, result_name="项目台账.xlsx")
    html = staff.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"})
    html = html.content.decode()
    assert "100%" in html and "hx-trigger" not in html  # polling stops
    assert reverse("job_download", args=[job.pk]) in html


def test_download_is_the_owners_only(
    projects, staff, outsider, leader, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, "jingfa_staff")
    url = reverse("job_download", args=[job.pk])
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = workbook_rows(b"".join(response.streaming_content))
    assert {r[0] for r in rows[1:]} == {"MINE-0", "MINE-1", "MINE-2"}
    for other in (outsider, leader):  # even a zone leader: a job is its owner's
        assert other.get(url).status_code == 404
        assert other.get(reverse("job_status", args=[job.pk])).status_code == 404


def test_download_waits_for_the_result(staff):
    job = Job.objects.create(owner=user("jingfa_staff"), kind=LEDGER, title="t", status="running")
    assert staff.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_job_pages_need_get(staff):
    job = Job.objects.create(owner=user("jingfa_staff"), kind=LEDGER, title="t")
    assert staff.post(reverse("job_status", args=[job.pk])).status_code == 405
    assert staff.post(reverse("job_download", args=[job.pk])).status_code == 405


# --- the exports switch to a job past the limit -------------------------------------------


def test_a_large_ledger_export_becomes_a_job(
    projects, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "EXPORT_INLINE_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.get(reverse("projects:ledger_export"), {"stage": "construction"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.owner, job.kind, job.title) == (user("jingfa_staff"), LEDGER, "导出项目台账")
    assert job.params["query"] == "stage=construction"
    assert job.params["back"] == reverse("projects:project_list") + "?stage=construction"
    assert job.status == "done" and codes(job) == {"MINE-0", "MINE-1", "MINE-2"}

    page = staff.get(response["Location"]).content.decode()
    assert "100%" in page and "下载" in page and "?stage=construction" in page


def test_a_small_ledger_export_still_downloads_directly(projects, staff, monkeypatch):
    monkeypatch.setattr(jobs, "EXPORT_INLINE_LIMIT", 3)
    response = staff.get(reverse("projects:ledger_export"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not Job.objects.exists()


def test_a_large_item_export_becomes_a_job(
    org, staff, monkeypatch, django_capture_on_commit_callbacks
):
    for i in range(3):
        make_item(title=f"经发事项{i}")
    make_item(title="城东事项", lead="城东产业园")
    monkeypatch.setattr(jobs, "EXPORT_INLINE_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.get(reverse("supervision:item_export"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "supervision.item_export" and job.title == "导出督办台账"
    assert job.params["today"] == timezone.localdate().isoformat()
    assert job.status == "done" and job.total_count == 3
    assert codes(job) == {"经发事项0", "经发事项1", "经发事项2"}
    assert job.result_name == f"督办台账-{timezone.localdate():%Y%m%d}.xlsx"


# --- the real queue -----------------------------------------------------------------------


@pytest.fixture
def real_queue():
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.mark.django_db(transaction=True)
def test_a_job_goes_through_the_queue(projects, real_queue):
    # Committed for real, as in production: Huey's db_task closes connections that are not in
    # autocommit, which would end a test transaction.
    job = jobs.start_job(user("leader"), LEDGER, "导出项目台账", ledger_params("leader"))
    job.refresh_from_db()
    assert job.status == "queued" and len(real_queue) == 1
    while (task := real_queue.dequeue()) is not None:
        real_queue.execute(task)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and len(codes(job)) == 4


# --- cleanup ------------------------------------------------------------------------------


def age(name: str, days: float) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(default_storage.path(name), (when, when))


def test_cleanup_deletes_old_jobs_files_and_import_previews(org, media):
    owner = user("leader")
    old = Job.objects.create(
        owner=owner,
        kind=LEDGER,
        title="旧",
        status="done",
        created_at=timezone.now() - dt.timedelta(days=3),
    )
    old.result.save("old.xlsx", ContentFile(b"old"))
    age(old.result.name, 3)
    new = Job.objects.create(owner=owner, kind=LEDGER, title="新", status="done")
    new.result.save("new.xlsx", ContentFile(b"new"))
    stray = default_storage.save("jobs/stray.xlsx", ContentFile(b"stray"))
    age(stray, 3)
    stalled = Job.objects.create(
        owner=owner,
        kind=LEDGER,
        title="卡住",
        status="running",
        created_at=timezone.now() - dt.timedelta(hours=5),
    )
    old_import = default_storage.save("imports/old.xlsx", ContentFile(b"x"))
    age(old_import, 1.5)
    new_import = default_storage.save("imports/new.xlsx", ContentFile(b"x"))
    old_name = old.result.name

    assert jobs.clean_up_jobs.call_local() == {"stalled": 1, "jobs": 1, "files": 1, "imports": 1}

    assert set(Job.objects.values_list("title", flat=True)) == {"新", "卡住"}
    assert not default_storage.exists(old_name) and not default_storage.exists(stray)
    assert default_storage.exists(new.result.name)
    assert not default_storage.exists(old_import) and default_storage.exists(new_import)
    stalled.refresh_from_db()
    assert stalled.status == "failed" and stalled.error == "任务未能完成(已中断),请重新发起"


def test_cleanup_without_any_files(org):
    assert jobs.clean_up() == {"stalled": 0, "jobs": 0, "files": 0, "imports": 0}
