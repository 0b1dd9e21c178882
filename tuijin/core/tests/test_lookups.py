"""An id no column can hold finds no row (core/lookups.py), in the lookups posted ids reach."""

import pytest
from django import forms

from tuijin.org.models import Person, Unit
from tuijin.supervision.models import Problem

HUGE = 99999999999999999999999  # beyond every integer column (SQLite: OverflowError before)


@pytest.mark.parametrize(
    "lookup",
    [
        {"pk__in": [HUGE]},
        {"pk__in": [str(HUGE)]},
        {"pk__in": [-HUGE]},
        {"unit__in": [HUGE]},  # a foreign key
        {"unit": HUGE},
        {"unit_id": str(HUGE)},
    ],
)
def test_an_id_out_of_range_finds_no_row(org, lookup):
    assert list(Person.objects.filter(**lookup)) == []
    assert Person.objects.exclude(**lookup).count() == Person.objects.count()


def test_the_ids_in_range_are_still_found(org):
    zone = org["随州高新区"]
    assert list(Unit.objects.filter(pk__in=[HUGE, zone.pk])) == [zone]
    assert Person.objects.filter(unit__in=[zone.pk, HUGE]).exists()
    assert Person.objects.filter(unit=zone.pk).exists()
    assert not Problem.objects.filter(category=HUGE).exists()


def test_a_multiple_choice_of_a_huge_id_is_a_form_error(org):
    field = forms.ModelMultipleChoiceField(queryset=Unit.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([str(HUGE)])
    assert refused.value.code == "invalid_choice"
    assert list(field.clean([str(org["城东产业园"].pk)])) == [org["城东产业园"]]
