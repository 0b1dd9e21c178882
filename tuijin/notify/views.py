"""站内通知 (N4): the list behind the bell, opening one, marking all read, personal settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tuijin.core.versions import Conflict, show_conflict
from tuijin.notify import services
from tuijin.notify.forms import PreferenceForm
from tuijin.notify.models import Notification

PAGE_SIZE = 30


@require_GET
def notification_list(request):
    unread = request.GET.get("unread") == "1"
    notifications = Notification.objects.filter(recipient=request.user)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "count": page.paginator.count, "unread": unread}
    return render(request, "notify/list.html", context)


@require_GET
def notification_open(request, pk):
    """Mark one of the user's own notifications read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(request.user, ids=[notification.pk])
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notify:list")


@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("notify:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = services.preference(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferenceForm(data, preference=preference)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_preferences(
                request.user,
                received_events=data["events"],
                email=data["email"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
                version=data["version"],
            )
        except Conflict as conflict:  # saved meanwhile from another page or device
            show_conflict(form, conflict)
            status = 409
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form}, status=status)
