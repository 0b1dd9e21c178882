"""Rural linkage: the gain per 亩 computed from deliveries, the late-payment alert (clock
pinned) to the town and the 包保 leader, the income tiers, who sees what."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_as
from tuijin.notify.models import Delivery
from tuijin.rural import figures, services
from tuijin.rural.models import Agreement, IncomeTier, Payment, VillageIncome
from tuijin.rural.tests.factories import make_agreement, setup_people

D = Decimal
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(org):
    return setup_people()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def alerted(username: str) -> list[str]:
    return list(
        Delivery.objects.filter(
            event="rural_payment_late", recipient__username=username
        ).values_list("title", flat=True)
    )


def test_the_gain_per_mu_is_computed_from_the_deliveries(people, clock):
    clerk = people["tiaoshui"]
    agreement = make_agreement(clerk)
    # 390,000 斤 for 800,000 元 on 200 亩 against 1,000 元 a 亩 before: 3,000 元 more a 亩.
    for day, quantity, price in [
        (dt.date(2026, 8, 10), 60000, "2.20"),
        (dt.date(2026, 8, 28), 80000, "2.10"),
        (dt.date(2026, 9, 15), 100000, "2.00"),
        (dt.date(2026, 10, 8), 90000, "2.00"),
        (dt.date(2026, 11, 5), 60000, None),  # the guaranteed price
    ]:
        services.record_delivery(
            clerk, agreement, delivered_on=day, quantity=D(quantity),
            unit_price=D(price) if price else None, payment_due=False,
        )  # fmt: skip
    numbers = figures.agreement_figures(agreement, dt.date(2026, 11, 30))
    assert numbers.delivered_quantity == D(390000)
    assert numbers.income == D(800000)
    assert numbers.income_per_mu == D(4000)
    assert numbers.gain_per_mu == D(3000)
    page = login_as("tiaoshui").get(agreement.get_absolute_url()).content.decode()
    assert 'id="gain-per-mu">3,000' in page


def test_a_price_under_the_guarantee_is_refused(people, clock):
    agreement = make_agreement(people["tiaoshui"])
    with pytest.raises(ValidationError):
        services.record_delivery(
            people["tiaoshui"], agreement, delivered_on=dt.date(2026, 11, 1),
            quantity=D(100), unit_price=D("1.50"),
        )  # fmt: skip
    assert not agreement.deliveries.exists()


def test_a_late_payment_alerts_the_town_and_the_enterprise_leader(people, clock):
    clerk = people["tiaoshui"]
    agreement = make_agreement(clerk)
    clock.move_to(dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC), tick=False)
    services.record_delivery(
        clerk, agreement, delivered_on=dt.date(2026, 11, 1), quantity=D(1000)
    )  # due 11月16日, paid 11月30日: 14 days late
    payment = agreement.payments.get()
    assert payment.due_on == dt.date(2026, 11, 16)
    assert alerted("xihe") == []  # not due yet
    clock.move_to(NOW, tick=False)
    services.pay(clerk, payment, version=None, paid_on=dt.date(2026, 11, 30), amount_paid=D(2000))
    assert len(alerted("xihe")) == 1  # the town
    assert len(alerted("zhaoshang")) == 1  # the enterprise's 包保 leader
    assert alerted("tiaoshui") == []  # not the clerk's own village
    payment.refresh_from_db()
    assert payment.alerted_on == dt.date(2026, 11, 30)
    assert payment.days_late(dt.date(2026, 11, 30)) == 14


def test_the_daily_run_announces_an_unpaid_payment_once(people, clock):
    clerk = people["tiaoshui"]
    agreement = make_agreement(clerk)
    clock.move_to(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False)
    services.record_delivery(clerk, agreement, delivered_on=dt.date(2026, 11, 10), quantity=D(50))
    assert services.send_late_payment_alerts(dt.date(2026, 11, 25)) == 0  # due that day
    assert services.send_late_payment_alerts(dt.date(2026, 11, 26)) == 1
    assert services.send_late_payment_alerts(dt.date(2026, 11, 27)) == 0  # once
    assert len(alerted("xihe")) == 1
    assert Payment.objects.get().alerted_on == dt.date(2026, 11, 26)


def test_income_tiers_are_editable(people, clock):
    rows = figures.tiers()
    assert figures.tier_of(D("4.99"), rows).name == "薄弱村"
    assert figures.tier_of(D(5), rows).name == "一般村"
    assert figures.tier_of(D("20.01"), rows).name == "富裕村"
    assert figures.tier_of(D(38), rows).gap == D(12)  # to the 50万 goal
    assert figures.tier_of(D(60), rows).gap is None
    IncomeTier.objects.filter(name="一般村").update(min_income=D(10))
    assert figures.tier_of(D(8), figures.tiers()).name == "薄弱村"


def test_income_per_household_and_the_report(people, clock):
    income = services.save_income(
        people["xihe"], unit=people["village"], year=2026, version=None,
        operating_income=D("16.8"), dividends=D("4.3"), dividend_households=215,
    )  # fmt: skip
    assert income.per_household == D("200.00")
    with pytest.raises(PermissionDenied):  # another town's village
        services.save_income(
            people["wanhe"], unit=people["village"], year=2026, version=None,
            operating_income=D(1), dividends=D(0), dividend_households=0,
        )  # fmt: skip
    page = login_as("xihe").get(reverse("rural:income") + "?year=2026").content.decode()
    assert "一般村" in page and "16.8" in page
    response = login_as("xihe").get(reverse("rural:income_xlsx") + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_towns_staff_get_404_and_a_liaison_sees_nothing(people, clock):
    agreement = make_agreement(people["tiaoshui"])
    url = agreement.get_absolute_url()
    assert login_as("xihe").get(url).status_code == 200  # the town
    assert login_as("leader").get(url).status_code == 200  # the zone leader
    assert login_as("zhaoshang").get(url).status_code == 200  # the enterprise's 包保 leader
    assert login_as("wanhe").get(url).status_code == 404  # another town
    assert login_as("qiye").get(url).status_code == 404  # a liaison
    assert not Agreement.objects.visible_to(people["wanhe"]).exists()
    assert login_as("qiye").get(reverse("rural:index")).context["agreements"] == []
    # 督查室 reads, does not write.
    delivery = reverse("rural:agreement_add", args=[agreement.pk, "delivery"])
    assert login_as("duban").post(delivery, {}).status_code == 403
    assert login_as("wanhe").post(delivery, {}).status_code == 404
    assert not agreement.deliveries.exists()


def test_the_clerk_records_a_delivery_through_the_page(people, clock):
    agreement = make_agreement(people["tiaoshui"])
    client = login_as("tiaoshui")
    url = reverse("rural:agreement_add", args=[agreement.pk, "delivery"])
    response = client.post(
        url, {"delivered_on": "2026-11-01", "quantity": "1000", "grade": "1",
              "unit_price": "", "payment_due": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    delivery = agreement.deliveries.get()
    assert delivery.amount == D(2000)
    assert agreement.payments.get().due_on == dt.date(2026, 11, 16)
    assert len(alerted("xihe")) == 1  # already past due on 11月30日: the town is told


def test_a_stale_agreement_edit_is_refused(people, clock):
    agreement = make_agreement(people["tiaoshui"])
    services.update_agreement(
        people["xihe"], agreement, version=agreement.version, fields={"product": "线椒"}
    )
    from tuijin.core.versions import Conflict

    with pytest.raises(Conflict):
        services.update_agreement(
            people["tiaoshui"], agreement, version=agreement.version, fields={"product": "朝天椒"}
        )


def test_the_overview_query_count(people, clock, django_assert_max_num_queries):
    for n in range(3):
        make_agreement(people["tiaoshui"], title=f"协议{n}")
    client = login_as("xihe")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("rural:index")).status_code == 200


def test_village_income_is_unique_per_year(people, clock):
    args = {"unit": people["village"], "year": 2026, "operating_income": D(3),
            "dividends": D(0), "dividend_households": 0}  # fmt: skip
    first = services.save_income(people["xihe"], version=None, **args)
    second = services.save_income(
        people["xihe"], version=first.version, **args | {"operating_income": D(6)}
    )
    assert first.pk == second.pk and VillageIncome.objects.count() == 1


def test_the_report_is_by_town_and_scoped(people, clock):
    for who, unit, value in [("xihe", "village", "16.8"), ("wanhe", "other_village", "3.2")]:
        services.save_income(
            people[who], unit=people[unit], year=2026, version=None,
            operating_income=D(value), dividends=D(0), dividend_households=0,
        )  # fmt: skip
    town = login_as("xihe").get(reverse("rural:income") + "?year=2026").context["report"]
    assert {r.unit.name for r in town.rows} == {"碑岗村", "挑水村"}
    assert [t.town.name for t in town.towns] == ["淅河镇"]
    other = login_as("wanhe").get(reverse("rural:income") + "?year=2026").context["report"]
    assert [r.unit.name for r in other.rows] == ["新街村"]
    zone = login_as("leader").get(reverse("rural:income") + "?year=2026").context["report"]
    assert {"挑水村", "新街村"} <= {r.unit.name for r in zone.rows}
    assert login_as("qiye").get(reverse("rural:income")).context["report"].rows == []
    # A town of the filter narrows the report to it.
    url = reverse("rural:income") + f"?year=2026&unit={people['town'].pk}"
    assert {r.unit.name for r in login_as("leader").get(url).context["report"].rows} == {
        "碑岗村",
        "挑水村",
    }
    assert login_as("leader").get(reverse("rural:income") + "?year=abc").status_code == 404


def test_the_export_writes_data_not_formulas(people, clock):
    from openpyxl import load_workbook

    IncomeTier.objects.filter(name="一般村").update(name="=1+1")
    services.save_income(
        people["xihe"], unit=people["village"], year=2026, version=None,
        operating_income=D(6), dividends=D(0), dividend_households=0,
    )  # fmt: skip
    response = login_as("xihe").get(reverse("rural:income_xlsx") + "?year=2026")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "=1+1" in values and "挑水村" in values


def test_wrong_methods_and_a_stale_form_through_the_page(people, clock):
    agreement = make_agreement(people["tiaoshui"])
    client = login_as("tiaoshui")
    assert client.get(reverse("rural:payment_pay", args=[1])).status_code == 405
    assert client.post(reverse("rural:income_xlsx")).status_code == 405
    url = reverse("rural:agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {
        "starts_on": "2026-03-01",
        "ends_on": "2028-12-31",
        "enterprise": agreement.enterprise_id,
    }
    data |= {"version": agreement.version, "product": "线椒"}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data | {"product": "朝天椒"})
    assert stale.status_code == 409
    assert "刚刚已被他人修改" in stale.content.decode()
    agreement.refresh_from_db()
    assert agreement.product == "线椒"


def test_the_report_query_count(people, clock, django_assert_max_num_queries):
    make_agreement(people["tiaoshui"])
    client = login_as("leader")
    with django_assert_max_num_queries(30):
        assert client.get(reverse("rural:income") + "?year=2026").status_code == 200


def test_the_pages_in_english_have_no_chinese_interface_text(people, clock, settings):
    from tests.test_english import Runs, chinese_left

    settings.LANGUAGE_CODE = "en"
    clerk = people["tiaoshui"]
    clock.move_to(dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC), tick=False)
    agreement = make_agreement(clerk)
    services.record_delivery(clerk, agreement, delivered_on=dt.date(2026, 11, 1), quantity=D(10))
    services.add_shareholder(
        clerk, agreement.company, name="村集体", kind="collective", share=D(30)
    )
    services.add_household(clerk, agreement.company, head="张德明", status="lifted")
    park = services.create_park(people["xihe"], unit=people["village"], name="丰碑产业园")
    services.add_tenant(people["xihe"], park, name="入驻企业", status="committed")
    services.add_share(people["xihe"], park, village=people["village"], year=2026, amount=D(2))
    services.save_income(
        people["xihe"], unit=people["village"], year=2026, version=None,
        operating_income=D(6), dividends=D(1), dividend_households=10,
    )  # fmt: skip
    clock.move_to(NOW, tick=False)
    runs = Runs()
    pages = [
        reverse("rural:index"),
        agreement.get_absolute_url(),
        agreement.company.get_absolute_url(),
        park.get_absolute_url(),
        reverse("rural:income") + "?year=2026",
        reverse("rural:agreement_create"),
        reverse("rural:agreement_edit", args=[agreement.pk]),
        reverse("rural:agreement_add", args=[agreement.pk, "delivery"]),
        reverse("rural:agreement_add", args=[agreement.pk, "payment"]),
        reverse("rural:company_add", args=[agreement.company_id, "household"]),
        reverse("rural:park_add", args=[park.pk, "share"]),
        reverse("rural:company_create"),
        reverse("rural:park_create"),
        reverse("rural:income_edit"),
        reverse("rural:company_edit", args=[agreement.company_id]),
        reverse("rural:park_edit", args=[park.pk]),
        reverse(
            "rural:company_shareholder_edit",
            args=[agreement.company_id, agreement.company.shareholders.get().pk],
        ),
        reverse(
            "rural:company_household_edit",
            args=[agreement.company_id, agreement.company.households.get().pk],
        ),
        reverse("rural:park_tenant_edit", args=[park.pk, park.tenants.get().pk]),
        reverse("rural:park_share_edit", args=[park.pk, park.shares.get().pk]),
    ]
    found = []
    for username in ("xihe", "leader"):
        client = login_as(username)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            # The page's own part: the menu is every app's (tests/test_english.py walks it).
            html = response.content.decode()
            main = html[html.index("<main") : html.index("</main>") + len("</main>")]
            if left := chinese_left(main.encode(), runs):
                found.append(f"{url} as {username}: {' | '.join(left)}")
    assert not found, "\n".join(found)
