"""The planning pool's yearly cycle: called for, reviewed, published; units put projects
forward in their own name while the call is open; quarterly updates; who sees what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tuijin.investment import services
from tuijin.investment.models import CycleState, PlanList, PlannedProject
from tuijin.investment.tests.factories import unit, user


@pytest.mark.django_db
def test_a_year_started_by_two_at_once_is_a_form_error_not_a_500(org):
    # On PostgreSQL both find no cycle of the year; the second insert then meets the first's
    # row (made here as the service saves its own): a form error, not an IntegrityError.
    from django.db.models.signals import pre_save

    from tuijin.investment.models import PlanningCycle

    made = []

    def the_other_starts_first(sender, instance, **kwargs):
        if instance.pk is None and not made:
            made.append(1)
            PlanningCycle.objects.bulk_create([PlanningCycle(zone=instance.zone, year=2031)])

    pre_save.connect(the_other_starts_first, sender=PlanningCycle, dispatch_uid="race")
    try:
        with pytest.raises(ValidationError, match="2031年度的项目谋划已经发起"):
            services.create_cycle(user("zhaoshang"), year=2031, title="2031年项目谋划")
    finally:
        pre_save.disconnect(sender=PlanningCycle, dispatch_uid="race")
    assert made


@pytest.mark.django_db
def test_the_yearly_cycle(org):
    cycle = services.create_cycle(
        user("zhaoshang"), year=2031, title="2031年项目谋划", meeting="2031年项目谋划推进工作会议"
    )
    with pytest.raises(ValidationError):
        services.create_cycle(user("zhaoshang"), year=2031, title="again")
    with pytest.raises(PermissionDenied):
        services.create_cycle(user("chengdong"), year=2032, title="园区不能发起")

    planned = services.add_planned(
        user("chengdong"),
        cycle.pk,
        name="城东标准化厂房四期",
        plan_list=PlanList.START,
        unit=unit("城东产业园"),
        park=unit("城东产业园"),
        land_mu=Decimal(80),
        energy_tce=Decimal(300),
    )
    with pytest.raises(ValidationError) as caught:
        services.add_planned(user("chengdong"), cycle.pk, name="替别人申报", unit=unit("招商局"))
    assert "unit" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.add_planned(
            user("chengdong"), cycle.pk, name="负数", unit=unit("城东产业园"), land_mu=Decimal(-1)
        )
    assert "land_mu" in caught.value.error_dict

    cycle = services.advance_cycle(user("zhaoshang"), cycle.pk, cycle.version)
    assert cycle.state == CycleState.REVIEWING
    with pytest.raises(PermissionDenied):  # the call is closed for the units
        services.add_planned(user("chengdong"), cycle.pk, name="迟到", unit=unit("城东产业园"))
    with pytest.raises(PermissionDenied):  # approval is the planners'
        services.update_planned(user("chengdong"), planned.pk, None, approved=True)
    services.update_planned(user("zhaoshang"), planned.pk, None, approved=True)
    cycle = services.advance_cycle(user("zhaoshang"), cycle.pk, cycle.version)
    assert cycle.state == CycleState.PUBLISHED and cycle.published_on

    update = services.add_planned_update(
        user("chengdong"), planned.pk, quarter="2031Q1", text="完成用地预审"
    )
    assert update.planned == planned
    with pytest.raises(ValidationError):
        services.add_planned_update(user("chengdong"), planned.pk, quarter="2031-1", text="x")

    seen = lambda name: PlannedProject.objects.visible_to(user(name)).filter(pk=planned.pk).exists()  # noqa: E731
    assert seen("chengdong") and seen("zhaoshang") and seen("leader") and seen("jijian")
    assert not seen("jingfa") and not seen("qiye")
