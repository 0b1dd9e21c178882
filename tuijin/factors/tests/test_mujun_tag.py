"""The enterprise page shows the latest 亩均 result (E14 item 8) through ``{% mujun_result %}``:
its class and score with a link to the evaluation, for readers who see factors only."""

from django.urls import reverse

from conftest import login_as
from tuijin.factors.access import sees_factors
from tuijin.factors.models import EnterpriseResult
from tuijin.factors.templatetags.mujun import latest_result


def _classed():
    result = (
        EnterpriseResult.objects.exclude(klass="")
        .filter(evaluation__computed_at__isnull=False)
        .select_related("evaluation", "enterprise")
        .order_by("-evaluation__year")
        .first()
    )
    assert result, "the demo has a computed 亩均 year"
    return result


def test_the_leader_sees_the_latest_class_score_and_link(demo_zone, db):
    result = _classed()
    latest = latest_result(login_as("leader").get("/").wsgi_request.user, result.enterprise)
    page = login_as("leader").get(
        reverse("projects:enterprise_detail", args=[result.enterprise_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="mujun-result"' in html
    assert latest.get_absolute_url() in html
    assert latest.get_klass_display() in html or latest.get_exemption_display() in html
    if not latest.exemption:
        assert f"{latest.score:.2f}" in html
    assert login_as("leader").get(latest.get_absolute_url()).status_code == 200


def test_a_reader_without_factors_sees_no_result(demo_zone, db):
    result = _classed()
    client = login_as("qiye")
    assert not sees_factors(client.get("/").wsgi_request.user)
    # The liaison's own enterprise (if any of theirs has a result), else any they may open.
    page = client.get(reverse("projects:enterprise_detail", args=[result.enterprise_id]))
    assert 'id="mujun-result"' not in page.content.decode()
    from tuijin.projects.models import Enterprise

    for enterprise in Enterprise.objects.visible_to(page.wsgi_request.user):
        page = client.get(reverse("projects:enterprise_detail", args=[enterprise.pk]))
        assert page.status_code == 200
        assert 'id="mujun-result"' not in page.content.decode()


def test_projects_does_not_import_factors():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "projects"
    for path in root.rglob("*.py"):
        assert "tuijin.factors" not in path.read_text(encoding="utf-8"), path
