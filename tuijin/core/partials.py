"""Lists whose filter form swaps only the table (htmx), so a filter change does not render the
page around it again: the header, the navigation and the form's ~130 options stay (B12)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


def wants_table(request) -> bool:
    """Is this the filter form's request for the table alone (not a history restore)?"""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_list(request, page: str, table: str, context: dict, valid: bool = True):
    """The whole page, or only its table for the filter form's htmx request (with
    ``table_only``, for what the table brings along out of band: the export button).

    An invalid filter sends the browser to the whole page, where the form shows the error beside
    the field. Back and forward ask htmx for the whole page (a history restore). ``Vary`` keeps a
    cache from answering one with the other."""
    if wants_table(request):
        if not valid:
            return HttpResponseClientRedirect(request.get_full_path())
        response = render(request, table, {**context, "table_only": True})
    else:
        response = render(request, page, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def export_url(request, name: str) -> str:
    """The address of the export named ``name`` of what this list shows: the page's filters,
    every page (the page number left out)."""
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return reverse(name) + (f"?{encoded}" if encoded else "")
