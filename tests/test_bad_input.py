"""Bad input never answers 500 (V10): every GET parameter a page reads and every field of every
form, sent letters for ids, huge numbers, impossible dates, year 1, empty, 100k characters,
control characters and lists. A refusal is a form error, a fallback with a note, or a 404.

Nothing here lists the site's parameters by hand; they are discovered, so a new page, filter or
form field is walked as soon as it exists:

- GET: each page of the URL walk (tests/test_every_url.py) is opened once with a probe query
  while the test notes which keys the code reads from ``request.GET`` (forms, filtersets and raw
  ``.get()`` alike) and which form field reads each; ``EXTRA_PARAMS`` adds what a page reads only
  after another parameter. ``UNIVERSAL`` parameters are sent to every page besides.
- POST: the fields of the forms on every page of the walk (by their action: names and the values
  the page fills in) and the keys the view reads from a probe POST.

What each field is sent depends on its kind (``kind_of``: the form field's class, else the
input's type in the page; a key read without a form gets every value), as ``VALUES_FOR`` says:
values a field can never accept (letters in a date) go to all such fields of a page at once, one
request per value; values it may accept (year 1 in a date, 100k characters in a text) go to one
field at a time, the form's other fields filled as a user would, so they reach the service.
One persona with the zone's scope: the zone leader (the admin where only admins may write).
Then every page is opened again, showing what the POSTs stored. A 5xx is rolled back to a
savepoint (on PostgreSQL a failed statement would spoil the rest of the run).
How to add a parameter or a value: docs/development/testing.md.
"""

import logging
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db import transaction
from django.forms.boundfield import BoundField
from django.forms.models import InlineForeignKeyField
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.test_every_url import (  # noqa: F401 (walk: the URL walk's fixture)
    SESSION_CHANGING,
    classified,
    named_patterns,
    page_urls,
    url_args,
    walk,
)
from tuijin.meetings.forms import DecisionForm

VALUES = {
    "letters": "abc",
    "huge": "99999999999999999999999",
    "negative": "-1",
    "year 1": "1",
    "impossible date": "2026-02-30",
    "date in year 1": "0001-01-01",
    "last date": "9999-12-31",
    "impossible datetime": "2026-02-30T10:00",
    "impossible time": "25:61",
    "datetime in year 1": "0001-01-01T00:00",
    "last datetime": "9999-12-31T23:59",
    "empty": "",
    "100k characters": "长" * 100_000,
    "NUL": "a\x00b",
    "escape": "\x1b[31m红\x1b[0m",
    "list": ["1", "abc"],  # a list where one value is expected (?unit=1&unit=abc)
}
# By kind of field: (values it can never accept: sent to all such fields of a page at once,
# values it may accept: sent to one field at a time).
ALL = (), tuple(VALUES)
VALUES_FOR = {
    "choice": (("letters", "huge", "empty", "NUL", "list"), ()),
    "number": (("letters", "empty", "NUL", "list"), ("huge", "negative", "year 1")),
    "date": (
        ("letters", "huge", "impossible date", "empty", "list"),
        ("date in year 1", "last date"),
    ),
    "datetime": (
        ("letters", "huge", "impossible datetime", "empty", "list"),
        ("datetime in year 1", "last datetime"),
    ),
    "time": (("letters", "impossible time", "empty", "list"), ()),
    # Forms refuse NUL in every CharField; a line (with a length limit) refuses 100k characters.
    "text": (("empty", "NUL", "list", "huge"), ("100k characters", "escape")),
    "line": (("empty", "NUL", "list", "huge", "100k characters"), ("escape",)),
    "file": (("letters", "list"), ()),
    "all": ALL,  # read without a form: anything may happen to it
}
INPUT_KINDS = {"select": "choice", "checkbox": "choice", "radio": "choice", "number": "number",
               "date": "date", "datetime-local": "datetime", "time": "time", "file": "file",
               "hidden": "all",
               "text": "text", "search": "text", "textarea": "text", "email": "text",
               "url": "text", "password": "text", "tel": "text"}  # fmt: skip
# Sent to every page, read or not (code may read the whole query string).
UNIVERSAL = ["page", "year", "weekend", "unit", "project", "park", "category", "person", "q",
             "sort", "date", "month", "kind", "view", "next"]  # fmt: skip
# A non-empty query or body, so that forms bound to ``request.GET or None`` read their fields.
PROBE = {"_probe": "1"}
IGNORED = {"csrfmiddlewaretoken"}  # the test client does not check it (the URL walk does)
SKIP_POSTS = {"logout"}  # ends the session and reads nothing


def kind_of(form_field) -> str:
    if isinstance(form_field, forms.FileField):
        return "file"
    if isinstance(form_field, forms.DateTimeField):
        return "datetime"
    if isinstance(form_field, forms.TimeField):
        return "time"
    if isinstance(form_field, forms.DateField):
        return "date"
    if isinstance(form_field, forms.IntegerField):  # DecimalField and FloatField too
        return "number"
    if isinstance(form_field, forms.ChoiceField | forms.BooleanField | InlineForeignKeyField):
        return "choice"  # ModelChoiceField and the multiple ones are ChoiceFields
    if isinstance(form_field, forms.CharField):
        return "line" if form_field.max_length else "text"
    return "all"


# Parameters a page reads that the probe cannot see (read only after another parameter), with
# their kind.
EXTRA_PARAMS: dict[str, dict[str, str]] = {
    # The meeting page fills in its decision form from ?decision-… (read only when one is sent).
    "meetings:meeting_detail": {
        f"decision-{name}": kind_of(form_field)
        for name, form_field in DecisionForm.base_fields.items()
    },
}


# --- What the code reads ------------------------------------------------------------------------

READ: dict[str, str] = {}  # key → kind, for the request being probed


class RecordingQueryDict(QueryDict):
    """``request.GET`` / ``request.POST`` noting each key the code asks for."""

    def __getitem__(self, key):
        READ.setdefault(key, "all")
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.setdefault(key, "all")
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.setdefault(key, "all")
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.setdefault(key, "all")
        return super().__contains__(key)


def recording(data: QueryDict) -> RecordingQueryDict:
    copy = RecordingQueryDict(mutable=True)
    for key, values in data.lists():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


def record_params(get_response):
    """Middleware, first in the chain while the probes run."""

    def middleware(request):
        request.GET = recording(request.GET)
        if request.method == "POST":
            request.POST = recording(request.POST)
        return get_response(request)

    return middleware


def field_data(bound_field):
    """``BoundField.data``, noting the field's kind under the name it reads."""
    READ[bound_field.html_name] = kind_of(bound_field.field)
    return bound_field.form._widget_data_value(bound_field.field.widget, bound_field.html_name)


@dataclass
class Form:
    action: str
    method: str
    kinds: dict = field(default_factory=dict)  # name → kind of input
    values: dict = field(default_factory=dict)  # name → what the page filled in


# What a user would type into an empty input, so that a form's other fields are valid while
# one of them gets a bad value (formset rows stay as the page has them: a filled extra row
# would be a new row).
TODAY = timezone.localdate().isoformat()
FILL = {"text": "测试", "search": "测试", "textarea": "测试", "email": "test@example.com",
        "url": "https://example.com/", "tel": "13800000000", "date": TODAY,
        "datetime-local": f"{TODAY}T09:00", "number": "1"}  # fmt: skip
FORMSET_ROW = re.compile(r"-(\d+|__prefix__)-")


class FormParser(HTMLParser):
    """The forms of a page: each field's kind, and the value the page gives it or a user would
    type (``FILL``; a select's first choice, a radio's first button, no multiple choice)."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms = page, []
        self.form = self.select = self.textarea = None
        self.multiple = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urlsplit(a.get("action") or self.page).path or self.page
            self.form = Form(action, (a.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "option" and self.select:
            name, value, values = self.select, a.get("value", ""), self.form.values
            chosen = "selected" in a or not (self.multiple or values.get(name))
            if value and chosen:
                values[name] = value
        elif tag in ("input", "select", "textarea") and a.get("name"):
            name, kind = a["name"], a.get("type", "text") if tag == "input" else tag
            if kind in ("submit", "button", "reset", "image"):
                return
            line = kind in ("text", "search") and a.get("maxlength")
            self.form.kinds.setdefault(name, "line" if line else INPUT_KINDS.get(kind, "text"))
            values = self.form.values
            if tag == "select":
                self.select, self.multiple = name, "multiple" in a
            elif tag == "textarea":
                self.textarea = name
                values[name] = ""
            elif kind == "checkbox":
                if "checked" in a:
                    values[name] = a.get("value", "on")
            elif kind == "radio":
                if "checked" in a or name not in values:
                    values[name] = a.get("value", "")
            elif kind != "file":
                value = a.get("value", "")
                if not value and not FORMSET_ROW.search(name):
                    value = (
                        a.get("min") if kind == "number" and a.get("min") else FILL.get(kind, "")
                    )
                values.setdefault(name, value)

    def handle_data(self, data):
        if self.textarea and self.form:
            self.form.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            name, self.textarea = self.textarea, None
            if name and not self.form.values[name].strip() and not FORMSET_ROW.search(name):
                self.form.values[name] = FILL["textarea"]


def forms_of(url: str, response) -> list[Form]:
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return parser.forms


def first_row_only(kinds: dict) -> dict:
    """A formset's first row stands for the others (rows 1… and the ``__prefix__`` template
    hold the same fields); Django ignores the MIN_NUM_FORMS and MAX_NUM_FORMS it renders."""

    def other_row(name: str) -> bool:
        row = FORMSET_ROW.search(name)
        return row is not None and row.group(1) != "0"

    return {
        name: kind
        for name, kind in kinds.items()
        if not other_row(name) and not name.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS"))
    }


# --- Sending -----------------------------------------------------------------------------------


class Sender:
    """Sends requests as one persona and notes every answer of 500 or more."""

    def __init__(self, username: str):
        self.username = username
        self.failures: dict[str, str] = {}
        self.sent = 0
        self.client = self.login()

    def login(self) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=self.username))
        return client

    def send(self, method: str, url: str, data: dict, what: str):
        errors = []

        def note(sender, request=None, **kwargs):
            errors.append(sys.exc_info()[1])

        got_request_exception.connect(note)
        # On PostgreSQL a failed statement spoils the test's transaction: back to before it.
        savepoint = transaction.savepoint()
        try:
            response = getattr(self.client, method)(url, data)
        finally:
            got_request_exception.disconnect(note)
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        self.sent += 1
        if response.status_code >= 500:
            error = f"{type(errors[0]).__name__}: {str(errors[0])[:150]}" if errors else ""
            self.failures.setdefault(
                f"{method.upper()} {url} {what}", f"{response.status_code} {error}"
            )
        return response

    def send_bad(self, method: str, url: str, kinds: dict, base: dict, wrap=str):
        """Each bad value for each field: never-accepted values to all fields at once, the
        others to one field at a time (``base`` fills the rest)."""
        rotated = {name: VALUES_FOR[kind][0] for name, kind in kinds.items()}
        for step in range(max(map(len, rotated.values()), default=0)):
            data, shown = dict(base), []
            for name, labels in rotated.items():
                if labels:
                    label = labels[step % len(labels)]
                    data[name] = VALUES[label]
                    shown.append(f"{name}=<{label}>")
            self.send(method, url, data, wrap(" & ".join(shown)))
        for name, kind in kinds.items():
            for label in VALUES_FOR[kind][1]:
                self.send(method, url, base | {name: VALUES[label]}, wrap(f"{name}=<{label}>"))


@contextmanager
def quiet():
    """Thousands of refusals: django.request's warnings would only slow the walk down."""
    logger = logging.getLogger("django.request")
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = False


@contextmanager
def probing():
    """Inside it, clients logged in afterwards note what each request reads in READ."""
    middleware = ["tests.test_bad_input.record_params", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware), pytest.MonkeyPatch.context() as patch:
        patch.setattr(BoundField, "data", property(field_data))
        yield


def probe(sender: Sender, method: str, url: str, data=None) -> tuple[dict, object]:
    READ.clear()
    response = sender.send(method, url, (data or {}) | PROBE, "(probe)")
    return {k: v for k, v in READ.items() if k not in PROBE.keys() | IGNORED}, response


def get_params(sender: Sender, pages) -> dict:
    """(URL name, URL) → {parameter: kind} the page reads; POST forms found on the way."""
    params, posts = {}, {}
    for name, url, _ in pages:
        if classified(name).probe:
            continue
        read, response = probe(sender, "get", url)
        for form in forms_of(url, response):
            if form.method == "post":
                posts.setdefault(form.action, form)
            elif form.action == url:
                read = {name: kind for name, kind in form.kinds.items()} | read
        params[url] = EXTRA_PARAMS.get(name, {}) | read
    return params, posts


def post_targets(records) -> list[tuple[str, str]]:
    targets = []
    for name, _ in named_patterns():
        case = classified(name)
        if case.writes and name not in SKIP_POSTS:
            args = url_args(records[case.record]) if case.record else []
            for verb in case.verbs or [None]:
                targets.append((name, reverse(name, args=[*args, verb] if verb else args)))
    return targets


@dataclass
class Plan:
    """What the probes found, once per module: the pages, the parameters each reads, and per
    POST target the persona that may post, its fields' kinds and the values a user would send."""

    pages: list
    params: dict = field(default_factory=dict)  # URL → {parameter: kind}
    posts: dict = field(default_factory=dict)  # (name, URL) → (username, kinds, base)
    accepted: list = field(default_factory=list)  # POSTs saved when filled as a user would
    failures: dict = field(default_factory=dict)  # probes answered with 500 or more


@pytest.fixture(scope="module")
def plan(walk):  # noqa: F811
    records = walk["chengdong"]
    found = Plan(pages=[(name, url) for name, url, _ in page_urls(records)])
    with quiet(), probing():
        leader, admin = Sender("leader"), Sender("admin")  # admin: where the leader is refused
        found.params, pages = get_params(leader, page_urls(records))
        for name, url in post_targets(records):
            sender = admin if "leader" in classified(name).refused else leader
            page = pages.get(url, Form(url, "post"))
            base = {
                k: v
                for k, v in page.values.items()
                if k not in IGNORED and "-__prefix__-" not in k  # a formset's row template
            }
            read, response = probe(sender, "post", url, base)
            if base and response.status_code == 302:
                found.accepted.append(name)
            kinds = first_row_only({k: v for k, v in page.kinds.items() if k not in IGNORED} | read)
            found.posts[name, url] = sender.username, kinds, base
            if name in SESSION_CHANGING:
                sender.client = sender.login()
    found.failures = leader.failures | admin.failures
    return found


def test_the_probes_find_the_parameters_and_reach_the_services(plan, db):
    assert not plan.failures, plan.failures
    # The walk found the parameters and fields, and its values reach the services: most forms,
    # filled as a user would, are saved.
    assert sum(map(len, plan.params.values())) > 50
    assert len(plan.accepted) > len([base for *_, base in plan.posts.values() if base]) / 2, (
        plan.accepted
    )


# The bad values go out in four tests, each a quarter of the pages and of the POST targets, so
# that pytest-xdist spreads them over the workers (one test was a third of the suite's time).
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_bad_input_never_answers_500(plan, db, shard):
    senders = {username: Sender(username) for username in ("leader", "admin")}
    leader = senders["leader"]
    with quiet():
        for url, read in list(plan.params.items())[shard::SHARDS]:
            leader.send_bad("get", url, read, {}, wrap=lambda s: f"?{s}")
            # Parameters the page does not read: all at once, each a different value.
            unread = [p for p in UNIVERSAL if p not in read]
            labels = list(VALUES)
            query = {p: VALUES[labels[i % len(labels)]] for i, p in enumerate(unread)}
            leader.send("get", url, query, "(universal parameters)")

        for (name, url), (username, kinds, base) in list(plan.posts.items())[shard::SHARDS]:
            sender = senders[username]
            sender.send_bad("post", url, kinds, base)
            if name in SESSION_CHANGING:
                sender.client = sender.login()

        for name, url in plan.pages:  # what the POSTs stored, shown
            if not classified(name).probe:
                leader.send("get", url, {}, "(after the bad POSTs)")
    failures = leader.failures | senders["admin"].failures
    assert not failures, f"{len(failures)} answers of 500 or more:\n" + "\n".join(
        f"{where}: {error}" for where, error in sorted(failures.items())
    )
