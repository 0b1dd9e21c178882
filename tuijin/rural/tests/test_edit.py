"""Changing companies, parks and the rows under them from the site: the village clerk and the
town's staff may, another town gets 404, read-only roles 403, a stale form 409, and a refusal
changes no row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import login_as
from tuijin.core.models import AuditEvent
from tuijin.core.versions import Conflict
from tuijin.projects.models import Enterprise
from tuijin.rural import services
from tuijin.rural.models import Company, EnclavePark, EnclaveShare, Household, Shareholder
from tuijin.rural.tests.factories import setup_people

D = Decimal
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    return setup_people()


@pytest.fixture
def company(people):
    company = services.create_company(
        people["tiaoshui"], unit=people["village"], name="挑水村乡村合作公司",
        kind=Company.Kind.VILLAGE,
    )  # fmt: skip
    services.add_shareholder(people["tiaoshui"], company, name="挑水村集体", kind="collective",
                             share=D(60))  # fmt: skip
    services.add_household(people["tiaoshui"], company, head="张德明", status="lifted")
    return company


@pytest.fixture
def park(people, company):
    park = services.create_park(people["xihe"], unit=people["village"], name="丰碑产业园")
    services.add_tenant(people["xihe"], park, name="入驻企业甲", status="committed")
    services.add_share(people["xihe"], park, village=people["village"], year=2026, amount=D(2))
    return park


def company_data(company, **changes):
    return {
        "unit": company.unit_id, "name": company.name, "kind": company.kind,
        "park": "", "founded_on": "2025-05-01", "capital": "100", "business": "辣椒种植",
        "version": company.version,
    } | changes  # fmt: skip


def state():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Company, Shareholder, Household, EnclavePark, EnclaveShare)
    ]


def test_the_clerk_edits_the_company_and_a_stale_form_is_409(people, company):
    client = login_as("tiaoshui")
    url = reverse("rural:company_edit", args=[company.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, company_data(company)).status_code == 302
    company.refresh_from_db()
    assert company.business == "辣椒种植" and company.capital == D(100)
    # The town's head saved meanwhile: the clerk's form, one version behind, is refused.
    stale = company_data(company, business="蔬菜")
    services.update_company(
        people["xihe"], company, version=company.version, fields={"business": "辣椒加工"}
    )
    before = state()
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "刚刚已被他人修改" in response.content.decode()
    assert state() == before
    assert client.get(company.get_absolute_url()).content.decode().count('id="edit-company"') == 1
    with pytest.raises(Conflict):
        services.update_company(
            people["tiaoshui"], company, version=company.version, fields={"business": "蔬菜"}
        )
    assert state() == before


def test_another_town_gets_404_and_read_only_roles_403(people, company, park):
    shareholder, household = company.shareholders.get(), company.households.get()
    tenant, share = park.tenants.get(), park.shares.get()
    urls = [
        reverse("rural:company_edit", args=[company.pk]),
        reverse("rural:company_shareholder_edit", args=[company.pk, shareholder.pk]),
        reverse("rural:company_household_edit", args=[company.pk, household.pk]),
        reverse("rural:park_edit", args=[park.pk]),
        reverse("rural:park_tenant_edit", args=[park.pk, tenant.pk]),
        reverse("rural:park_share_edit", args=[park.pk, share.pk]),
    ]
    before = state()
    for url in urls:
        assert login_as("xihe").get(url).status_code == 200, url  # the town
        assert login_as("tiaoshui").get(url).status_code == 200, url  # the village
        assert login_as("wanhe").get(url).status_code == 404, url  # another town
        assert login_as("wanhe").post(url, {"remove": "1"}).status_code == 404, url
        assert login_as("duban").get(url).status_code == 403, url  # reads only
        assert login_as("duban").post(url, {"remove": "1"}).status_code == 403, url
        assert login_as("qiye").post(url, {"remove": "1"}).status_code == 404, url
    assert state() == before
    with pytest.raises(PermissionDenied):
        services.update_company(people["wanhe"], company, version=None, fields={"business": "x"})
    with pytest.raises(PermissionDenied):
        services.update_household(people["wanhe"], household, head="李四")
    with pytest.raises(PermissionDenied):
        services.remove_row(people["wanhe"], tenant)
    assert state() == before
    # A row of another company is not found under this one.
    other = services.create_company(
        people["wanhe"], unit=people["other_village"], name="新街村合作社", kind="cooperative"
    )
    url = reverse("rural:company_household_edit", args=[other.pk, household.pk])
    assert login_as("wanhe").get(url).status_code == 404


def test_shareholders_and_households_are_edited_and_removed_row_by_row(people, company):
    client = login_as("tiaoshui")
    shareholder, household = company.shareholders.get(), company.households.get()
    page = client.get(company.get_absolute_url()).content.decode()
    url = reverse("rural:company_shareholder_edit", args=[company.pk, shareholder.pk])
    assert url in page
    data = {"name": "挑水村股份经济合作社", "kind": "collective", "share": "70", "households": "0"}
    assert client.post(url, data).status_code == 302
    shareholder.refresh_from_db()
    assert shareholder.name == "挑水村股份经济合作社" and shareholder.share == D(70)
    # Over 100 % in all is refused and changes nothing.
    services.add_shareholder(people["tiaoshui"], company, name="农户", kind="households",
                             share=D(30))  # fmt: skip
    before = state()
    response = client.post(url, data | {"share": "80"})
    assert response.status_code == 200 and "超过100%" in response.content.decode()
    assert state() == before
    url = reverse("rural:company_household_edit", args=[company.pk, household.pk])
    data = {"head": "张德明", "status": "monitored", "members": "4", "area_mu": "3.5",
            "dividend": "1200", "link": "订单种植"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.status == "monitored" and household.area_mu == D("3.5")
    assert client.post(url, {"remove": "1"}).status_code == 302
    assert not company.households.exists()
    removed = AuditEvent.objects.filter(model="rural.household", object_id=str(household.pk))
    assert removed.filter(action="remove_household").exists()


def test_the_park_and_its_rows_are_edited(people, park):
    client = login_as("xihe")
    url = reverse("rural:park_edit", args=[park.pk])
    data = {"unit": people["village"].pk, "company": "", "name": "丰碑产业园",
            "location": "碑岗村二组", "stage": "building", "land_mu": "120",
            "buildings_m2": "5000", "note": "", "version": park.version}  # fmt: skip
    assert client.post(url, data).status_code == 302
    park.refresh_from_db()
    assert park.stage == "building" and park.land_mu == D(120)
    assert client.post(url, data | {"stage": "operating"}).status_code == 409
    park.refresh_from_db()
    assert park.stage == "building"
    # Moving the park to another town's village is refused.
    with pytest.raises(PermissionDenied):
        services.update_park(
            people["xihe"], park, version=park.version, fields={"unit": people["other_village"]}
        )
    tenant, share = park.tenants.get(), park.shares.get()
    url = reverse("rural:park_tenant_edit", args=[park.pk, tenant.pk])
    tenant_data = {"name": "入驻企业甲", "enterprise": "", "status": "settled",
                   "investment": "3000", "since": "2026-10-01"}  # fmt: skip
    assert client.post(url, tenant_data).status_code == 302
    tenant.refresh_from_db()
    assert tenant.status == "settled" and tenant.since == dt.date(2026, 10, 1)
    url = reverse("rural:park_share_edit", args=[park.pk, share.pk])
    form = client.get(url).context["form"]
    assert form.initial["year"] == 2026
    share_data = {"village": people["village"].pk, "year": "2026", "amount": "2.5"}
    assert client.post(url, share_data).status_code == 302
    share.refresh_from_db()
    assert share.amount == D("2.5")
    # A second share of the same village and year is refused on edit too.
    services.add_share(people["xihe"], park, village=people["village"], year=2025, amount=D(1))
    other = park.shares.get(year=2025)
    with pytest.raises(ValidationError):
        services.update_share(people["xihe"], other, year=2026)
    other.refresh_from_db()
    assert other.year == 2025


def test_partners_the_clerk_cannot_see_stay(people, company):
    hidden = Enterprise.objects.create(name="外区合作企业", unit=people["other_town"])
    company.partners.add(hidden)
    assert not Enterprise.objects.visible_to(people["tiaoshui"]).filter(pk=hidden.pk).exists()
    services.update_company(
        people["tiaoshui"], company, version=company.version, fields={}, partners=[]
    )
    assert list(company.partners.all()) == [hidden]


def test_the_company_page_opens_an_agreement_for_it(people, company):
    client = login_as("tiaoshui")
    url = reverse("rural:agreement_create")
    assert f'{url}?company={company.pk}"' in client.get(company.get_absolute_url()).content.decode()
    assert client.get(f"{url}?company={company.pk}").context["form"].initial["company"] == company
    for junk in ("abc", "99999", "-1", "1" * 40):
        response = client.get(f"{url}?company={junk}")
        assert response.status_code == 200 and "company" not in response.context["form"].initial
    # Another town's company is not offered.
    response = login_as("wanhe").get(f"{url}?company={company.pk}")
    assert "company" not in response.context["form"].initial
    edit = client.get(reverse("rural:company_edit", args=[company.pk])).content.decode()
    assert f'href="{company.get_absolute_url()}"' in edit  # 取消 goes back to the company
