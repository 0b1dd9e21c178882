"""The cockpit's E14 cards (dashboard.pipeline): the investment funnel and the factor gaps per
park, equal to the funnel and sheet pages' own figures, absent for a reader who cannot open
those pages, scoped like them, and no query more as leads grow."""

import json

from django.urls import reverse
from django.utils import timezone

from conftest import login_as
from tuijin.dashboard.tests.cockpit import cockpit_json, empty_cache  # noqa: F401 (autouse)
from tuijin.dashboard.tests.test_cockpit import queries_of
from tuijin.factors.models import Factor
from tuijin.investment.models import Lead
from tuijin.org.models import Person, Unit, UnitKind


def test_the_leaders_funnel_is_the_funnel_pages(demo_zone, db):
    data = cockpit_json("leader")["funnel"]
    year = timezone.localdate().year
    page = login_as("leader").get(reverse("investment:funnel"), {"year": year})
    assert page.status_code == 200
    stages = {s.stage: s for s in page.context["stages"]}
    assert sum(s["n"] for s in data["stages"]) == Lead.objects.count() > 0
    for row in data["stages"]:
        assert row["n"] == stages[row["stage"]].count
        assert row["investment"] == float(stages[row["stage"]].investment)
    total = page.context["total"]
    assert data["signed"] == total.signed and data["entered"] == total.entered
    assert data["sign_rate"] == (None if total.sign_rate is None else float(total.sign_rate))
    assert data["start_rate"] == (None if total.start_rate is None else float(total.start_rate))
    assert data["url"] == f"{reverse('investment:funnel')}?year={year}"


def test_each_stages_count_opens_as_many_leads(demo_zone, db):
    client = login_as("leader")
    for row in cockpit_json("leader")["funnel"]["stages"]:
        response = client.get(row["url"])
        assert response.status_code == 200
        assert response.context["page"].paginator.count == row["n"], row["stage"]


def test_the_leaders_gaps_are_the_sheets(demo_zone, db):
    data = cockpit_json("leader")["factors"]
    year = timezone.localdate().year
    page = login_as("leader").get(reverse("factors:sheet"), {"year": year})
    assert page.status_code == 200
    sheet = page.context["sheet"]
    assert [p["park"] for p in data["parks"]] == [p.pk for p in sheet.parks]
    assert data["parks"]
    factors = [f["factor"] for f in data["factors"]]
    assert factors == [Factor.LAND, Factor.ENERGY, Factor.GREEN]
    for park in data["parks"]:
        rows = {r.factor: r for r in sheet.rows_of(park["park"])}
        assert park["gaps"] == [float(rows[f].gap) for f in factors]
        assert login_as("leader").get(park["url"]).status_code == 200


def test_the_cards_show_on_the_page(demo_zone, db):
    response = login_as("leader").get(reverse("cockpit:index"))
    html = response.content.decode()
    assert 'id="funnel-card"' in html and 'id="factors-card"' in html
    assert reverse("investment:funnel") in html and reverse("factors:sheet") in html


def test_a_park_heads_cards_hold_only_their_park(demo_zone, db):
    person = Person.objects.get(user__username="chengdong")
    assert person.unit.kind == UnitKind.PARK
    data = cockpit_json("chengdong")
    assert [p["park"] for p in data["factors"]["parks"]] == [person.unit_id]
    page = login_as("chengdong").get(reverse("investment:funnel"))
    stages = {s.stage: s.count for s in page.context["stages"]}
    assert {s["stage"]: s["n"] for s in data["funnel"]["stages"]} == stages
    text = json.dumps({"funnel": data["funnel"], "factors": data["factors"]}, ensure_ascii=False)
    others = Unit.objects.filter(kind=UnitKind.PARK).exclude(pk=person.unit_id)
    assert not [u.name for u in others if u.name in text]


def test_a_reader_without_the_pipeline_or_factors_gets_no_card(demo_zone, db, monkeypatch):
    from tuijin.dashboard import pipeline

    monkeypatch.setattr(pipeline.pipeline, "reads_pipeline", lambda user: False)
    monkeypatch.setattr(pipeline, "sees_factors", lambda user: False)
    data = cockpit_json("leader")
    assert data["funnel"] is None and data["factors"] is None
    html = login_as("leader").get(reverse("cockpit:index")).content.decode()
    assert 'id="funnel-card"' not in html and 'id="factors-card"' not in html


def test_more_leads_add_no_query(demo_zone, db):
    client = login_as("leader")
    client.get("/")
    before = queries_of(client)
    lead = Lead.objects.filter(stage="signed").first() or Lead.objects.first()
    for n in range(5):
        lead.pk = None
        lead.name = f"更多线索{n}"
        lead.credit_code = ""
        lead.project = None
        lead.save()
    assert queries_of(client) == before


def test_a_unit_head_outside_the_factor_desks_gets_no_factor_card(demo_zone, db):
    person = Person.objects.get(user__username="jingfa")
    person.unit = Unit.objects.get(name="党政办")
    person.save()
    assert login_as("jingfa").get(reverse("factors:sheet")).status_code == 403
    data = cockpit_json("jingfa")
    assert data["factors"] is None
    html = login_as("jingfa").get(reverse("cockpit:index")).content.decode()
    assert 'id="factors-card"' not in html
