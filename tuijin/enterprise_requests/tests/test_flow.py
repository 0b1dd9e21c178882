"""The request's life: assigned by the 督查室 or the enterprise's 包保 leader, accepted and
answered by the unit, reopened once by the enterprise and then confirmed; satisfaction rated
apart from resolution; withdrawals at a unit's suggestion sampled and checked; who may do
what (a refusal changes no row), and no lost updates on the page (409)."""

import pytest
from constance import config
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_as
from tuijin.core.versions import Conflict
from tuijin.enterprise_requests import services
from tuijin.enterprise_requests.models import (
    CheckResult,
    EnterpriseRequest,
    RequestStep,
    Satisfaction,
    State,
    Verb,
)
from tuijin.enterprise_requests.tests.factories import (
    answered,
    handled,
    make_enterprise,
    raise_one,
    unit,
    user,
)
from tuijin.notify.models import Delivery


def test_reopened_once_then_confirmed_and_rated_apart(org):
    request = handled(raise_one())
    request = answered(request, "已报供电公司审批。")
    request = services.reopen(user("qiye"), request.pk, request.version, "批复不等于送电")
    assert request.state == State.HANDLING and request.reopened_count == 1
    # The unit owes a new answer: the answer clock starts again from the reopening.
    assert request.answer_due >= request.accept_due
    request = answered(request, "临时线路已接通。")
    request = services.confirm(user("qiye"), request.pk, request.version)
    assert request.state == State.RESOLVED and request.answer == "临时线路已接通。"
    # Resolved, yet not happy with how: rated on its own.
    request = services.rate(
        user("qiye"), request.pk, request.version, Satisfaction.UNSATISFIED, "拖得太久"
    )
    assert request.satisfaction == Satisfaction.UNSATISFIED
    verbs = list(request.steps.values_list("verb", flat=True))
    assert verbs == [
        Verb.RAISE, Verb.ASSIGN, Verb.ACCEPT, Verb.ANSWER, Verb.REOPEN, Verb.ANSWER,
        Verb.CONFIRM, Verb.RATE,
    ]  # fmt: skip
    with pytest.raises(PermissionDenied):  # once
        services.rate(user("qiye"), request.pk, request.version, Satisfaction.SATISFIED)


def test_the_enterprises_baobao_leader_may_assign(org):
    request = raise_one()  # 陈晨 (zhaoshang, a cadre) is the enterprise's 包保 leader
    request = services.assign(user("zhaoshang"), request.pk, request.version, unit("招商局"))
    assert request.state == State.ASSIGNED and request.unit.name == "招商局"


@pytest.mark.parametrize("name", ["jingfa", "chengdong", "jijian", "qiye"])
def test_others_may_not_assign_and_nothing_changes(org, name):
    request = raise_one()
    before = (EnterpriseRequest.objects.get(pk=request.pk).version, RequestStep.objects.count())
    with pytest.raises(PermissionDenied):
        services.assign(user(name), request.pk, request.version, unit("经济发展局"))
    after = (EnterpriseRequest.objects.get(pk=request.pk).version, RequestStep.objects.count())
    assert before == after


def test_only_the_handling_unit_answers_and_only_the_enterprise_closes(org):
    request = handled(raise_one())
    for name in ("chengdong", "zhaoshang", "qiye"):
        with pytest.raises(PermissionDenied):
            services.answer(user(name), request.pk, request.version, "已办")
    request = answered(request, handler="jingfa_staff")
    for name in ("jingfa", "duban", "leader"):
        with pytest.raises(PermissionDenied):
            services.confirm(user(name), request.pk, request.version)
    assert EnterpriseRequest.objects.get(pk=request.pk).state == State.ANSWERED


def test_a_stale_version_is_refused(org):
    request = handled(raise_one())
    seen = request.version
    answered(request)
    with pytest.raises(Conflict) as caught:
        services.reopen(user("qiye"), request.pk, seen, "未解决")
    assert "刚刚已被他人修改" in str(caught.value)


def test_a_withdrawal_at_the_units_suggestion_is_sampled_and_checked(org):
    config.REQUEST_CHECK_PERCENT = 100
    request = handled(raise_one())
    request = services.withdraw(
        user("qiye"), request.pk, request.version, "单位建议走其他渠道", on_suggestion=True
    )
    assert request.state == State.WITHDRAWN and request.check_result == CheckResult.PENDING
    with pytest.raises(PermissionDenied):  # the unit does not check itself
        services.check_withdrawal(
            user("jingfa"), request.pk, request.version, CheckResult.GENUINE, ""
        )
    request = services.check_withdrawal(
        user("duban"), request.pk, request.version, CheckResult.IMPROPER, "企业称系被劝撤"
    )
    assert request.check_result == CheckResult.IMPROPER
    # An improper withdrawal counts against the unit's resolution rate.
    rates = services.unit_rates(EnterpriseRequest.objects.all())
    row = next(r for r in rates if r["unit__name"] == "经济发展局")
    assert row["improper"] == 1 and row["resolution_rate"] == 0


def test_a_withdrawal_of_its_own_accord_or_outside_the_sample_is_not_checked(org):
    config.REQUEST_CHECK_PERCENT = 0
    request = services.withdraw(
        user("qiye"), raise_one().pk, None, "已自行解决", on_suggestion=True
    )
    assert request.check_result == ""
    config.REQUEST_CHECK_PERCENT = 100
    request = services.withdraw(user("qiye"), raise_one().pk, None, "已自行解决", False)
    assert request.check_result == ""


def test_rates_per_unit(org):
    enterprise = make_enterprise()
    for satisfaction in (Satisfaction.SATISFIED, Satisfaction.UNSATISFIED):
        request = answered(handled(raise_one(enterprise)))
        request = services.confirm(user("qiye"), request.pk, request.version)
        services.rate(user("qiye"), request.pk, request.version, satisfaction)
    handled(raise_one(enterprise))  # open, within its clocks: not counted against the unit
    row = next(
        r
        for r in services.unit_rates(EnterpriseRequest.objects.all())
        if r["unit__name"] == "经济发展局"
    )
    assert (row["total"], row["resolved"], row["open"]) == (3, 2, 1)
    assert row["resolution_rate"] == 100.0 and row["satisfaction_rate"] == 50.0


def test_messages_reach_the_unit_and_the_liaison(org):
    request = handled(raise_one())
    sent = Delivery.objects.filter(channel="inapp")
    assert sent.filter(recipient=user("jingfa"), event="request_assigned").exists()
    assert sent.filter(recipient=user("duban"), event="request_raised").exists()
    assert sent.filter(recipient=user("zhaoshang"), event="request_raised").exists()  # 包保
    assert not sent.filter(recipient=user("chengdong")).exists()
    answered(request)
    assert sent.filter(recipient=user("qiye"), event="request_answered").exists()


def test_a_description_is_required(org):
    with pytest.raises(ValidationError):
        raise_one(text="   ")


# --- The pages -------------------------------------------------------------------------------


def test_the_same_answer_form_saved_twice_gets_the_conflict_message(org):
    request = handled(raise_one())
    url = reverse("enterprise_requests:request_action", args=[request.pk, "answer"])
    version = request.version
    first = login_as("jingfa").post(url, {"answer-version": version, "answer-text": "已办一"})
    assert first.status_code == 302
    second = login_as("jingfa_staff").post(
        url, {"answer-version": version, "answer-text": "已办二"}
    )
    assert second.status_code == 409
    assert "刚刚已被他人办理" in second.content.decode()
    assert EnterpriseRequest.objects.get(pk=request.pk).answer == "已办一"


def test_a_reopen_without_a_reason_keeps_the_page_and_changes_nothing(org):
    request = answered(handled(raise_one()))
    url = reverse("enterprise_requests:request_action", args=[request.pk, "reopen"])
    response = login_as("qiye").post(url, {"reopen-version": request.version, "reopen-text": ""})
    assert response.status_code == 400
    assert EnterpriseRequest.objects.get(pk=request.pk).state == State.ANSWERED


def test_the_liaison_raises_a_request_with_a_photo(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.test_every_url import PNG

    enterprise = make_enterprise()
    client = login_as("qiye")
    assert client.get(reverse("enterprise_requests:request_create")).status_code == 200
    response = client.post(
        reverse("enterprise_requests:request_create"),
        {
            "enterprise": enterprise.pk,
            "category": "power",
            "description": "变压器容量不足",
            "project": enterprise.projects.first().pk,
            "photos": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    request = EnterpriseRequest.objects.get(description="变压器容量不足")
    assert request.photos.count() == 1
    page = client.get(request.get_absolute_url()).content.decode()
    assert "变压器容量不足" in page and "/files/enterprise_requests.requestphoto/" in page


def test_a_non_image_photo_is_refused_with_the_text_kept(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    enterprise = make_enterprise()
    response = login_as("qiye").post(
        reverse("enterprise_requests:request_create"),
        {
            "enterprise": enterprise.pk,
            "category": "land",
            "description": "用地指标",
            "photos": [SimpleUploadedFile("a.png", b"<html>", content_type="image/png")],
        },
    )
    assert response.status_code == 200
    assert "用地指标" in response.content.decode()
    assert not EnterpriseRequest.objects.filter(description="用地指标").exists()


def test_wrong_method_and_unknown_verb(org):
    request = raise_one()
    client = login_as("duban")
    url = reverse("enterprise_requests:request_action", args=[request.pk, "assign"])
    assert client.get(url).status_code == 405
    bad = reverse("enterprise_requests:request_action", args=[request.pk, "explode"])
    assert client.post(bad).status_code == 404


def test_the_handling_unit_reads_as_english_punctuation_in_english(org):
    """The unit's name after "Handled by" and the answer's heading are translated whole: no
    full-width colon or brackets left in English ("Handled by:经济发展局")."""
    request = answered(handled(raise_one()))
    client = login_as("qiye")
    client.cookies["django_language"] = "en"
    listed = client.get(reverse("enterprise_requests:request_list")).content.decode()
    assert "Handled by: 经济发展局" in listed
    assert "\uff1a经济发展局" not in listed  # a full-width colon
    page = client.get(request.get_absolute_url()).content.decode()
    assert "The handling unit's answer (经济发展局)" in page
    assert "\uff08经济发展局\uff09" not in page  # full-width brackets


def test_a_tampered_version_is_refused_with_a_message_and_the_text_kept(org):
    """A bad hidden version (a tampered or broken page) answers 400 with a message the user
    can act on, the typed answer kept; before, the page came back with no message at all."""
    request = handled(raise_one())
    url = reverse("enterprise_requests:request_action", args=[request.pk, "answer"])
    response = login_as("jingfa").post(url, {"answer-version": "abc", "answer-text": "保留我"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "页面已过期,请刷新后再试。" in page
    assert "保留我" in page
    assert EnterpriseRequest.objects.get(pk=request.pk).state == State.HANDLING


def test_the_approval_category_reads_approvals_in_english(org):
    """审批 as a request's category is about permits (Approvals), not the 审批 of an extension
    (Decision) that the shared catalog gives the same Chinese word."""
    from django.utils import translation

    from tuijin.enterprise_requests.models import Category

    with translation.override("en"):
        assert str(Category.APPROVAL.label) == "Approvals"
    with translation.override("zh-hans"):
        assert str(Category.APPROVAL.label) == "审批"


def test_assigned_accepted_answered_confirmed_and_rated_through_the_pages(org):
    request = raise_one()

    def act(username, verb, **fields):
        version = EnterpriseRequest.objects.get(pk=request.pk).version
        data = {f"{verb}-{name}": value for name, value in (fields | {"version": version}).items()}
        url = reverse("enterprise_requests:request_action", args=[request.pk, verb])
        response = login_as(username).post(url, data)
        assert response.status_code == 302, (verb, response.status_code)
        return EnterpriseRequest.objects.get(pk=request.pk)

    assert act("duban", "assign", unit=unit("经济发展局").pk).unit.name == "经济发展局"
    assert act("jingfa", "accept").state == State.HANDLING
    assert act("jingfa", "answer", text="临时线路已接通。").state == State.ANSWERED
    assert act("qiye", "confirm").state == State.RESOLVED
    rated = act("qiye", "rate", satisfaction=Satisfaction.SATISFIED, note="很及时")
    assert rated.satisfaction == Satisfaction.SATISFIED
    verbs = list(rated.steps.values_list("verb", flat=True))
    assert verbs == [Verb.RAISE, Verb.ASSIGN, Verb.ACCEPT, Verb.ANSWER, Verb.CONFIRM, Verb.RATE]


def test_the_liaison_withdraws_a_request_on_the_page_at_the_units_suggestion(org):
    request = handled(raise_one())
    url = reverse("enterprise_requests:request_action", args=[request.pk, "withdraw"])
    data = {"withdraw-version": request.version, "withdraw-text": "已自行解决"}
    response = login_as("qiye").post(url, data | {"withdraw-on_suggestion": "on"})
    assert response.status_code == 302
    withdrawn = EnterpriseRequest.objects.get(pk=request.pk)
    assert withdrawn.state == State.WITHDRAWN and withdrawn.steps.last().verb == Verb.WITHDRAW
    assert (withdrawn.withdrawn_reason, withdrawn.withdrawn_on_suggestion) == ("已自行解决", True)


def test_the_rating_radios_are_bootstrap_radios():
    """满意度 and 核查结论 are radios styled as radios (form-check-input), not bare inputs sat
    against their labels (found rating a request at 390 px); 诉求类别 stays a row of buttons."""
    from tuijin.enterprise_requests.forms import CheckForm, RaiseForm, RateForm

    for field in (RateForm()["satisfaction"], CheckForm()["result"]):
        radios = [str(choice.tag()) for choice in field]
        assert radios and all('class="form-check-input"' in r for r in radios), radios
    assert RaiseForm.base_fields["category"].widget.attrs["class"] == "btn-check"
