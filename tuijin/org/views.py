from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tuijin.core.access import get_for_user
from tuijin.org.models import Person, Unit


@require_GET
def unit_list(request):
    units = Unit.objects.visible_to(request.user).annotate(people_count=Count("people"))
    return render(request, "org/unit_list.html", {"units": units, "count": len(units)})


@require_GET
def unit_detail(request, pk):
    unit = get_for_user(request.user, Unit, pk=pk)
    context = {
        "unit": unit,
        "children": Unit.objects.get_children(unit),
        "people": unit.people.filter(is_active=True).select_related("user"),
        "ancestors": Unit.objects.get_ancestors(unit),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
def person_detail(request, pk):
    person = get_for_user(request.user, Person.objects.select_related("unit"), pk=pk)
    return render(request, "org/person_detail.html", {"person": person})
