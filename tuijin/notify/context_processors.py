from tuijin.notify import services


def bell(request):
    """The navbar bell's unread count: one indexed COUNT query, for signed-in users only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": services.unread_count(user)}
