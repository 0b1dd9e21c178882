"""A13 journey, month end (desktop): the supervisor computes November (a background job), opens
经济发展局's 督办 figure and sees the two items answered late behind it, reviews and puts the month
on 公示; the unit head appeals one figure; the supervisor upholds it; after 公示 the month is
published, the 考核通报 .docx is downloaded and read back, and a later edit of one of the late
items leaves the published figure as it was."""

import datetime as dt

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, log_in, shoot
from tuijin.assessment.demo import months_back
from tuijin.assessment.models import Period, UnitScore
from tuijin.supervision.models import SupervisionItem

pytestmark = pytest.mark.browser
LATE = ["犇星二期设备款支付凭证报送", "石墨烯负极材料项目入库统计"]


def test_month_end_assessment(demo, live_server, session, browser, time_machine):
    today = timezone.localdate()
    november = months_back(today, 1)
    # The demo published the month already: start it again from the records.
    Period.objects.filter(month=november).delete()

    supervisor = session("duban")
    supervisor.goto(f"{live_server.url}/assessment/")
    supervisor.fill("#id_month", f"{november:%Y-%m}")
    supervisor.get_by_role("button", name="开始考核该月").click()
    expect(supervisor.locator("#period-state")).to_have_text("计算中")
    supervisor.click("#compute")
    expect(supervisor.locator("#job-outcome")).to_contain_text("已计算完成")
    supervisor.click("#job-outcome-link")
    ranking = supervisor.locator("table.ranking[data-class=部门]")
    expect(ranking.locator("tbody tr")).to_have_count(4)
    shoot(supervisor, path=str(OUTPUT / "assessment-ranking.png"), full_page=True)
    period_url = supervisor.url

    ranking.get_by_role("link", name="经济发展局").click()
    duban = supervisor.locator("#ind-duban")
    duban.locator("summary").click()
    late = duban.locator(".fact[data-kind=late]")
    expect(late).to_have_count(2)
    for title in LATE:
        expect(late.filter(has_text=title)).to_have_count(1)
    expect(late.first.locator(".badge")).to_have_text("-1.00")
    score_url = supervisor.url
    late.filter(has_text=LATE[0]).get_by_role("link").click()
    expect(supervisor.locator("h1")).to_contain_text(LATE[0])

    supervisor.goto(period_url)
    supervisor.click("#start-publicity")
    expect(supervisor.locator("#period-state")).to_have_text("公示中")

    unit = session("jingfa")
    unit.goto(f"{live_server.url}/assessment/")
    unit.get_by_role("link", name="查看本单位得分和提升建议").click()
    expect(unit.locator("#score-title")).to_have_text("经济发展局")
    problems = unit.locator("#ind-problems")
    problems.locator("summary").first.click()
    problems.locator(".appeal-box summary").click()
    problems.locator("textarea").fill("“能耗指标不足”问题已于11月30日协调会议解决,会议纪要为证。")
    problems.get_by_role("button", name="提交申诉").click()
    expect(unit.locator("[role=alert].alert-success")).to_contain_text("已就“问题解决”提出申诉")
    unit.click("#raise-tab")
    expect(unit.locator("#tab-raise .raise").first).to_be_visible()

    supervisor.goto(score_url)
    problems = supervisor.locator("#ind-problems")
    problems.locator("summary").first.click()
    form = problems.locator(".decide-form")
    form.locator("input[value=upheld]").check()
    form.locator("input[name=new_score]").fill("10")
    form.locator("textarea[name=decision]").fill("问题确于11月末协调解决,按一半分值计。")
    shoot(supervisor, path=str(OUTPUT / "assessment-appeal.png"), full_page=True)
    form.get_by_role("button", name="提交处理结果").click()
    problems = supervisor.locator("#ind-problems")
    expect(problems.locator(".indicator-score")).to_have_text("10.00")
    expect(problems.locator(".appeal[data-status=upheld]")).to_have_count(1)
    before = UnitScore.objects.get(period__month=november, unit__name="经济发展局")

    # After the 公示's last working day the month is published (a new login: a day later).
    period = Period.objects.get(month=november)
    after = dt.datetime.combine(period.publicity_end + dt.timedelta(days=1), dt.time(9))
    time_machine.move_to(timezone.make_aware(after), tick=True)
    supervisor = browser.new_context(
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    ).new_page()
    log_in(supervisor, live_server, "duban")
    supervisor.goto(period_url)
    supervisor.click("#publish")
    expect(supervisor.locator("#period-state")).to_have_text("已发布")

    with supervisor.expect_download() as download:
        supervisor.click("#bulletin-link")
    document = Document(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        f"关于{november.year}年{november.month}月各单位项目推进工作考核情况的通报"
        in text.replace("\n", "")
    )
    assert "申诉成立" in text and "问题解决得分由0.00调整为10.00" in text
    assert any(LATE[0] in line for line in text.splitlines())  # a main deduction with its fact
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    jingfa_row = next(r for r in rows if r[1] == "经济发展局")
    assert jingfa_row[2] == f"{before.total:.2f}"

    # A later edit of one of the late items leaves the published figure as it was.
    SupervisionItem.objects.filter(title=LATE[0]).update(closed_on_time=True)
    supervisor.goto(score_url)
    expect(supervisor.locator("#score-total")).to_have_text(f"{before.total}")
    expect(supervisor.locator("#ind-duban .fact[data-kind=late]")).to_have_count(2)
    supervisor.context.close()
