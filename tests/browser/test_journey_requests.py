"""R15 enterprise requests at 390 × 844: the liaison of a 青春化工园 enterprise (周婷, 湖北犇星)
raises a 用电 request with a photo on her phone; the 督查室 assigns it to 经济发展局, which
accepts and answers; she finds it not resolved and reopens it once; the unit answers again;
she confirms it resolved and rates it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT, shoot
from tuijin.enterprise_requests.models import EnterpriseRequest, State, Verb

pytestmark = pytest.mark.browser

# A 1×1 PNG: the photo of the switch room.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
TEXT = "罐区调试需临时增容2000千伏安,请协调供电公司本周内接电。"


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_the_liaison_raises_a_power_request_reopens_it_once_then_confirms(
    demo, live_server, session
):
    qiye = session("qiye", phone=True)
    qiye.goto(f"{live_server.url}/")
    qiye.locator(".navbar-toggler").click()
    qiye.locator(".nav-link.dropdown-toggle", has_text="项目").click()  # the menu's 项目 group
    qiye.locator(".dropdown-item", has_text="企业诉求").click()
    qiye.locator("#new-request").click()
    # Measure the form once it is there, not the document the click is still replacing.
    expect(qiye.locator("#id_description")).to_be_visible()
    fits_the_phone(qiye)
    qiye.locator("#category-choices label", has_text="用电用能").click()
    qiye.fill("#id_description", TEXT)
    qiye.select_option("#id_project", label="犇星二期年产3万吨新能源电解液")
    qiye.set_input_files(
        "#id_photos", files=[{"name": "配电房.png", "mimeType": "image/png", "buffer": PNG}]
    )
    qiye.locator("#submit-request").click()
    expect(qiye.locator("#request-state")).to_have_text("待交办")
    expect(qiye.locator("#request-photos img")).to_have_count(1)
    fits_the_phone(qiye)
    request = EnterpriseRequest.objects.get(description=TEXT)
    assert request.enterprise.name == "湖北犇星新能源材料有限公司"
    assert request.category == "power"
    url = f"{live_server.url}{request.get_absolute_url()}"

    # The 督查室 gives it to 经济发展局, which accepts it and answers.
    duban = session("duban")
    duban.goto(url)
    duban.select_option("#id_assign-unit", label="经济发展局")
    duban.locator("#do-assign").click()
    expect(duban.locator("#request-state")).to_have_text("待受理")
    jingfa = session("jingfa")
    jingfa.goto(url)
    jingfa.locator("#do-accept").click()
    expect(jingfa.locator("#request-state")).to_have_text("办理中")
    jingfa.fill("#id_answer-text", "已与供电公司对接,增容方案已报审。")
    jingfa.locator("#do-answer").click()
    expect(jingfa.locator("#request-state")).to_have_text("待企业确认")

    # Not resolved yet: she reopens it, once.
    qiye.reload()
    expect(qiye.locator("#request-answer")).to_contain_text("增容方案已报审")
    qiye.fill("#id_reopen-text", "报审不等于送电,调试下周开始。")
    qiye.locator("#do-reopen").click()
    expect(qiye.locator("#request-state")).to_have_text("办理中")
    expect(qiye.locator("#reopened")).to_have_text("重新打开1次")
    expect(qiye.locator("#do-confirm")).to_have_count(0)

    jingfa.reload()
    jingfa.fill("#id_answer-text", "临时线路已接通,可满足调试用电。")
    jingfa.locator("#do-answer").click()
    expect(jingfa.locator("#request-state")).to_have_text("待企业确认")

    # Resolved: she confirms, then rates it on its own.
    qiye.reload()
    expect(qiye.locator("#request-answer")).to_contain_text("临时线路已接通")
    qiye.locator("#do-confirm").click()
    expect(qiye.locator("#request-state")).to_have_text("已解决")
    qiye.locator("label[for=id_rate-satisfaction_0]").click()
    qiye.locator("#do-rate").click()
    expect(qiye.locator("#request-satisfaction")).to_have_text("满意")
    fits_the_phone(qiye)
    OUTPUT.mkdir(exist_ok=True)
    shoot(qiye, path=str(OUTPUT / "requests-liaison-phone.png"), full_page=True)

    request.refresh_from_db()
    assert request.state == State.RESOLVED and request.reopened_count == 1
    assert request.resolved_on_time is True and request.unit.name == "经济发展局"
    assert list(request.steps.values_list("verb", flat=True)) == [
        Verb.RAISE, Verb.ASSIGN, Verb.ACCEPT, Verb.ANSWER, Verb.REOPEN, Verb.ANSWER,
        Verb.CONFIRM, Verb.RATE,
    ]  # fmt: skip
