"""The pipeline's rules: clocks at their boundaries (working days), the funnel's counting rule,
duplicates, stage evidence and dates, bad input, scoping."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tuijin.core.models import AuditEvent
from tuijin.core.xlsx import table_rows
from tuijin.investment import clocks, services
from tuijin.investment.funnel import funnel
from tuijin.investment.models import ClockAlert, ClockRules, Lead, LeadStage, SigningKind
from tuijin.investment.tests.factories import make_lead, move, unit, user

FRI = dt.date(2026, 11, 27)


def clock(lead, key, today):
    found = [c for c in clocks.lead_clocks(lead, ClockRules(), today) if c.key == key]
    return found[0] if found else None


# --- clocks -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_respond_within_one_working_day_over_the_weekend(org):
    lead = make_lead(received_on=FRI)
    due = dt.date(2026, 11, 30)  # Monday: Saturday and Sunday do not count
    assert clock(lead, "respond", due).due == due
    assert clock(lead, "respond", due).state == "open"
    assert clock(lead, "respond", due + dt.timedelta(days=1)).state == "overdue"


@pytest.mark.django_db
def test_respond_over_national_day_counts_working_days_only(org):
    lead = make_lead(received_on=dt.date(2026, 9, 30))
    # 1–7 October are days off: the next working day is Thursday 8 October.
    assert clock(lead, "respond", dt.date(2026, 10, 8)).state == "open"
    assert clock(lead, "respond", dt.date(2026, 10, 9)).state == "overdue"


@pytest.mark.django_db
def test_assessment_three_working_days_or_seven_for_large_leads(org):
    small = make_lead(received_on=FRI)
    large = make_lead("大型项目", received_on=FRI, total_investment=Decimal(50000))
    assert clock(small, "assess", FRI).due == dt.date(2026, 12, 2)
    assert clock(small, "assess", dt.date(2026, 12, 2)).state == "open"
    assert clock(small, "assess", dt.date(2026, 12, 3)).state == "overdue"
    assert clock(large, "assess", FRI).due == dt.date(2026, 12, 8)
    assert clock(large, "assess", dt.date(2026, 12, 8)).state == "open"
    assert clock(large, "assess", dt.date(2026, 12, 9)).state == "overdue"


@pytest.mark.django_db
def test_done_on_the_due_day_is_in_time_the_next_day_late(org):
    lead = make_lead(received_on=FRI)
    services.add_follow_up(
        user("admin"), lead.pk, kind="response", on=dt.date(2026, 11, 30), text="已联系"
    )
    lead.refresh_from_db()
    assert clock(lead, "respond", dt.date(2026, 12, 5)).state == "done"
    other = make_lead("另一个项目", received_on=FRI)
    services.add_follow_up(
        user("admin"), other.pk, kind="assessment", on=dt.date(2026, 12, 1), text="研判"
    )
    other.refresh_from_db()
    assert clock(other, "respond", dt.date(2026, 12, 5)).state == "late"
    assert clock(other, "assess", dt.date(2026, 12, 5)).state == "done"


@pytest.mark.django_db
def test_progress_every_two_weeks(org):
    lead = make_lead(received_on=dt.date(2026, 11, 1))
    assert clock(lead, "progress", dt.date(2026, 11, 15)).state == "open"
    assert clock(lead, "progress", dt.date(2026, 11, 16)).state == "overdue"
    services.add_follow_up(
        user("admin"), lead.pk, kind="progress", on=dt.date(2026, 11, 20), text="进展"
    )
    lead.refresh_from_db()
    assert clock(lead, "progress", dt.date(2026, 12, 4)).state == "open"
    assert clock(lead, "progress", dt.date(2026, 12, 5)).state == "overdue"


@pytest.mark.django_db
def test_after_signing_register_funds_and_start(org):
    lead = make_lead(received_on=dt.date(2026, 1, 2), contracted_funds=Decimal(8000))
    move(lead, LeadStage.SIGNED, dt.date(2026, 1, 10), signing_kind=SigningKind.CONTRACT)
    lead.refresh_from_db()
    for key, due in (
        ("register", dt.date(2026, 2, 9)),  # 30 days
        ("funds", dt.date(2026, 4, 10)),  # 3 months
        ("start", dt.date(2026, 7, 10)),  # 6 months
    ):
        assert clock(lead, key, due).due == due
        assert clock(lead, key, due).state == "open"
        assert clock(lead, key, due + dt.timedelta(days=1)).state == "overdue"
    # 25% of the contracted funds arrived: the funds clock is done on that day.
    services.record_funds(
        user("admin"), lead.pk, lead.version, arrived=Decimal(2000), on=dt.date(2026, 3, 1)
    )
    lead.refresh_from_db()
    assert lead.funds_quarter_on == dt.date(2026, 3, 1)
    assert clock(lead, "funds", dt.date(2026, 5, 1)).state == "done"


@pytest.mark.django_db
def test_overdue_clock_told_once_and_turned_into_a_supervision_item(org):
    lead = make_lead(received_on=FRI, leader=user("leader").person)
    made = services.check_clocks(dt.date(2026, 12, 1))
    assert {a.clock for a in made} >= {"respond"}
    assert services.check_clocks(dt.date(2026, 12, 1)) == []  # told once
    alert = ClockAlert.objects.get(lead=lead, clock="respond")
    item = services.alert_to_item(user("duban"), alert.pk, deadline_days=3)
    alert.refresh_from_db()
    assert alert.item == item and item.lead_unit == unit("招商局")
    with pytest.raises(ValidationError):
        services.alert_to_item(user("duban"), alert.pk)
    with pytest.raises(PermissionDenied):
        services.alert_to_item(user("zhaoshang"), alert.pk)  # no 督办 right


# --- the funnel ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_funnel_counts_a_project_once_by_its_first_signing(org):
    first = make_lead("甲项目", received_on=dt.date(2025, 3, 1), contracted_funds=Decimal(100))
    move(first, LeadStage.SIGNED, dt.date(2025, 6, 1), signing_kind=SigningKind.FRAMEWORK)
    move(first, LeadStage.SIGNED, dt.date(2026, 2, 1), signing_kind=SigningKind.CONTRACT)
    first.refresh_from_db()
    assert first.signed_on == dt.date(2025, 6, 1)  # the contract does not move the first signing
    move(first, LeadStage.STARTED, dt.date(2026, 3, 1), new_project_code="ZS-T-1")
    first.refresh_from_db()
    # A second lead for the same project (a second investor), signed in 2026: the same project.
    second = make_lead("甲项目二期投资方", received_on=dt.date(2026, 1, 5))
    move(second, LeadStage.SIGNED, dt.date(2026, 1, 20), signing_kind=SigningKind.CONTRACT)
    Lead.objects.filter(pk=second.pk).update(project=first.project)
    other = make_lead("乙项目", received_on=dt.date(2026, 2, 1))
    move(other, LeadStage.SIGNED, dt.date(2026, 4, 1), signing_kind=SigningKind.CONTRACT)

    leads = Lead.objects.filter(pk__in=[first.pk, second.pk, other.pk])
    today = dt.date(2026, 12, 1)
    _s, y2025, _g, years = funnel(leads, year=2025, today=today)
    _s, y2026, _g, _y = funnel(leads, year=2026, today=today)
    _s, every, _g, _y = funnel(leads, year=None, today=today)
    assert years == [2026, 2025]
    assert y2025.signed == 1 and y2026.signed == 1 and every.signed == 2
    # Started 9 months after its first signing: started, but not on time (履约率 0).
    assert y2025.started == 1 and y2025.on_time == 0 and y2025.keep_rate == Decimal("0.0")
    assert y2026.entered == 2 and y2026.sign_rate == Decimal("50.0")


@pytest.mark.django_db
def test_funnel_page_query_count_is_constant(org, client, django_assert_max_num_queries):
    client.force_login(user("zhaoshang"))
    make_lead("丙项目")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("investment:funnel")).status_code == 200
    for n in range(10):
        make_lead(f"批量项目{n}号工厂")
    with django_assert_max_num_queries(25) as ctx:
        assert client.get(reverse("investment:funnel"), {"by": "park"}).status_code == 200
    many = len(ctx.captured_queries)
    with django_assert_max_num_queries(many):
        client.get(reverse("investment:funnel"), {"by": "park"})


@pytest.mark.django_db
def test_funnel_xlsx(org, client):
    make_lead("丁项目")
    client.force_login(user("leader"))
    response = client.get(reverse("investment:funnel_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # Each group's 线索 and 签约 counts, as the page shows them: the sheet had the 签约 count
    # only, under a header "线索数/签约数", so its 签约转化率 was of a number not in it.
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = table_rows(sheet)
    header, total = rows[0], next(row for row in rows if row[0] == "合计")
    page = client.get(reverse("investment:funnel")).context["total"]
    assert total[header.index("线索数(个)")] == page.entered >= 1
    assert total[header.index("项目数/签约数(个)")] == page.signed


# --- duplicates ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicates_by_credit_code_and_similar_name(org):
    make_lead("年产10万吨锂电新材料项目", credit_code="91360500MA35K3003Z")
    with pytest.raises(services.DuplicateLead) as caught:
        services.create_lead(
            user("zhaoshang"),
            name="完全不同的名字",
            credit_code="91360500ma35k3003z",
            unit=unit("招商局"),
        )
    assert [m.name for m in caught.value.matches] == ["年产10万吨锂电新材料项目"]
    with pytest.raises(services.DuplicateLead):
        services.create_lead(user("zhaoshang"), name="10万吨锂电新材料项目", unit=unit("招商局"))
    lead = services.create_lead(
        user("zhaoshang"), name="10万吨锂电新材料项目", unit=unit("招商局"), force=True
    )
    assert lead.pk
    assert services.find_duplicates(user("zhaoshang"), name="生物医药产业园") == []


# --- stages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stage_change_needs_evidence_and_is_audited(org):
    lead = make_lead(received_on=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError) as caught:
        services.move_stage(
            user("zhaoshang"),
            lead.pk,
            lead.version,
            to_stage=LeadStage.TALKS,
            on=dt.date(2026, 10, 5),
            evidence=None,
        )
    assert "evidence" in caught.value.error_dict
    lead.refresh_from_db()
    assert lead.stage == LeadStage.LEAD and not lead.changes.exists()
    change = move(lead, LeadStage.TALKS, dt.date(2026, 10, 5), by="zhaoshang")
    assert change.original_name == "投资合同.pdf" and change.evidence.name.startswith("investment/")
    assert AuditEvent.objects.filter(action="move_stage", object_id=str(lead.pk)).exists()


@pytest.mark.django_db
def test_no_start_before_signing_nor_skipping_the_signing(org):
    lead = make_lead(received_on=dt.date(2026, 1, 2))
    with pytest.raises(ValidationError) as caught:
        move(lead, LeadStage.STARTED, dt.date(2026, 2, 1), new_project_code="ZS-T-2")
    assert "to_stage" in caught.value.error_dict
    move(lead, LeadStage.SIGNED, dt.date(2026, 3, 1), signing_kind=SigningKind.CONTRACT)
    with pytest.raises(ValidationError) as caught:
        move(lead, LeadStage.STARTED, dt.date(2026, 2, 15), new_project_code="ZS-T-2")
    assert "on" in caught.value.error_dict
    assert "签约" in caught.value.error_dict["on"][0].messages[0]
    change = move(lead, LeadStage.STARTED, dt.date(2026, 4, 1), new_project_code="ZS-T-2")
    lead.refresh_from_db()
    assert lead.project.code == "ZS-T-2" and lead.project.park == unit("府南产业园")
    assert change.to_stage == LeadStage.STARTED


@pytest.mark.django_db
def test_bad_quantities_name_their_field(org):
    with pytest.raises(ValidationError) as caught:
        make_lead(land_mu=Decimal(-3), green_share=Decimal(120))
    assert "计划用地(亩)" in caught.value.error_dict["land_mu"][0].messages[0]
    assert "绿电占比" in caught.value.error_dict["green_share"][0].messages[0]


# --- scoping ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scoping(org, client):
    bureau = make_lead("招商局的项目", park="青春化工园")
    own = make_lead("经发局的项目", unit_name="经济发展局", park=None)
    park = make_lead("城东园区的项目", park="城东产业园")
    visible = lambda name: set(Lead.objects.visible_to(user(name)).values_list("pk", flat=True))  # noqa: E731
    assert visible("zhaoshang") >= {bureau.pk, own.pk, park.pk}
    assert visible("leader") >= {bureau.pk, own.pk, park.pk}
    assert visible("qiye") == set()
    assert own.pk in visible("jingfa") and bureau.pk not in visible("jingfa")
    assert park.pk in visible("chengdong") and bureau.pk not in visible("chengdong")
    client.force_login(user("qiye"))
    assert client.get(reverse("investment:lead_list")).status_code == 403
    assert client.get(reverse("investment:lead_detail", args=[bureau.pk])).status_code == 404
    client.force_login(user("jingfa"))
    assert client.get(reverse("investment:lead_detail", args=[bureau.pk])).status_code == 404
    assert client.get(reverse("investment:lead_detail", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_contacts_only_for_handlers_and_leaders(org, client):
    lead = make_lead(
        "联系人项目", park="城东产业园", contact_name="赵经理", contact_phone="13900000000"
    )
    from tuijin.investment.permissions import sees_contacts

    assert sees_contacts(user("zhaoshang"), lead)  # the handling unit
    assert sees_contacts(user("leader"), lead)
    assert not sees_contacts(user("chengdong"), lead)  # the park sees the lead, not the contact
    assert not sees_contacts(user("duban"), lead)
    client.force_login(user("chengdong"))
    page = client.get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
    assert "13900000000" not in page and "赵经理" not in page


@pytest.mark.django_db
def test_the_edit_form_keeps_contacts_from_editors_who_may_not_see_them(org, client):
    lead = make_lead(
        "园区联系人项目", unit_name="城东产业园", park="城东产业园", contact_phone="13911112222"
    )
    client.force_login(user("zhaoshang"))  # the 招商局 may edit every lead, not read this contact
    page = client.get(reverse("investment:lead_edit", args=[lead.pk])).content.decode()
    assert "13911112222" not in page and 'name="contact_phone"' not in page
    client.force_login(user("chengdong"))  # the handling park
    page = client.get(reverse("investment:lead_edit", args=[lead.pk])).content.decode()
    assert "13911112222" in page
