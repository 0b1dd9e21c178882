"""The park pages, unit pages and Monday reports in the URL walk (tests/test_every_url.py).

A park's page and a unit's page open with the walk's sample unit (城东产业园, a park): 404 for
whoever does not see its records (``GET_RECORDS`` has "unit"). The reports' list is the zone
leaders', the 督查室's and admins' (403 for the others); only the 督查室 and admins build one.
"""

BUILDERS = {"duban", "admin"}


def cases(reads, writes, personas) -> dict:
    return {
        "places:park": reads("unit"),
        "places:unit": reads("unit"),
        "places:weekly_list": reads(),
        "places:weekly_build": writes(refused=set(personas) - BUILDERS, post_only=True),
    }
