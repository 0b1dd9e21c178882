"""Reading the admin-edited rules (django-constance) the same way everywhere.

`constance.config.X` returns an awaitable proxy when an event loop runs in the thread (as in
browser tests driving Playwright); `setting()` reads the backend synchronously instead, and
`settings_for()` reads several in one query.
"""

from constance.utils import get_values_for_keys


def settings_for(*names: str) -> dict:
    return get_values_for_keys(list(names))


def setting(name: str):
    return settings_for(name)[name]
