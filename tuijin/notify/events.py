"""The events notify can deliver, each with the label people read (bell, list, preferences,
rules). Notify knows no domain: each app registers its own events in its ``AppConfig.ready()``
with ``register_event``; notify's own ``Event`` list is registered in ``notify.models``.

The model fields take ``choices=event_choices`` (a callable, so a new event needs no notify
migration); ``event_label`` is the label of any key, the key itself when no app registered it.
"""

MAX_LENGTH = 30  # the event fields of Rule, Notification and Delivery

_LABELS: dict = {}  # key -> label (gettext_lazy), in the order registered
# Alerts sent even in a user's quiet hours; notify.models.URGENT_EVENTS is this set.
URGENT_EVENTS: set[str] = set()


def register_event(key: str, label, *, urgent: bool = False) -> None:
    """Make an event known: its Chinese label (gettext_lazy) and whether it ignores quiet hours.
    Registering a key again replaces its label."""
    key = str(key)
    if not key or len(key) > MAX_LENGTH:
        raise ValueError(f"event key must be 1-{MAX_LENGTH} characters: {key!r}")
    _LABELS[key] = label
    if urgent:
        URGENT_EVENTS.add(key)
    else:
        URGENT_EVENTS.discard(key)


def event_label(key: str):
    """The label of an event; an unregistered key is shown as it is."""
    return _LABELS.get(str(key), key)


def event_keys() -> list[str]:
    return list(_LABELS)


def event_choices() -> list[tuple[str, object]]:
    """``(key, label)`` for every registered event: the choices of the event fields and of
    the preferences form."""
    return list(_LABELS.items())
