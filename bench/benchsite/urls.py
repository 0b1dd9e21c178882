"""The site's URLs plus the raw-SQL floor: the ledger's first page as one hand-written query,
rendered minimally. What it costs is the least any ledger can cost on this machine (the
middleware, the session and the user lookup included, as for every page)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.utils.html import escape

# The ledger's default order (projects.filters.SORTS["park"]) and the columns a row shows;
# the total for the pager in the same query.
LEDGER_SQL = """
SELECT p.code, p.name, park.name, unit.name, p.stage, p.light, p.total_investment,
       (SELECT max(r.period_start) FROM projects_progressreport r WHERE r.project_id = p.id),
       count(*) OVER ()
  FROM projects_project p
  JOIN org_unit park ON park.id = p.park_id
  JOIN org_unit unit ON unit.id = p.unit_id
 WHERE {where}
 ORDER BY park.path, p.code
 LIMIT 50
"""


def ledger_floor(request):
    where, params = ["1 = 1"], []
    if zone := request.GET.get("zone"):  # the zone's subtree, as the zone leader sees it
        where.append("unit.path LIKE %s")
        params.append(zone + "%")
    if park := request.GET.get("park"):
        where.append("p.park_id = %s")
        params.append(int(park))
    if light := request.GET.get("light"):
        where.append("p.light = %s")
        params.append(light)
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_SQL.format(where=" AND ".join(where)), params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row[:-1]) + "</tr>"
        for row in rows
    )
    return HttpResponse(
        f"<!doctype html><title>ledger floor</title><p>{total}</p><table>{body}</table>"
    )


urlpatterns = [
    path("bench/floor/ledger/", ledger_floor),
    path("", include("tuijin.urls")),
]
