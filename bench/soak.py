"""`make soak`: gunicorn and the Huey consumer on loopback under 8 browser-like clients.

    .venv/bin/python bench/soak.py [--db sqlite|postgres|both] [--minutes 10] [--db-url URL]

For each database: a fresh demo site (bench/livesite.py: SQLite under var/soak/sqlite, or the
PostgreSQL database of ``--db-url``, created and dropped), then for ``--minutes`` eight clients,
each logged in as a different demo role with its own `requests` session, mix reads (home,
ledger, boards, detail pages, searches) and writes (progress reports, weekend work logs, 督办
item actions, item assignments, log comments, an Excel import through the upload, preview and
confirm pages every ``--import-every`` seconds), filling the forms as a browser does (the
form's own hidden fields and CSRF token, the defaults of every field it does not change).

Targets (the exit status is 1 if any is missed): no request answered 5xx or failed, no
"database is locked" and no ERROR line in the server's or consumer's log, no worker replaced,
gunicorn workers' RSS at the end at most 15 % above the RSS after the warm-up, `verify_audit`
clean at the end, /healthz 200 at the end, and every kind of write succeeded at least once (a
soak whose writes all bounced would prove nothing). Latencies are reported, never judged: the
machine is shared. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import random
import re
import sys
import threading
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests
from livesite import (
    BASE_DIR,
    DEFAULT_PG_URL,
    LiveSite,
    log,
    login,
    read_rss_kb,
)

RESULTS_DIR = BASE_DIR / "var" / "soak"
PASSWORD = "tuijin2026"  # tuijin/org/demo.py DEMO_PASSWORD
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
RSS_GROWTH_LIMIT = 0.15
REQUEST_TIMEOUT = 180  # above gunicorn's 120 s: a worker timeout shows as the server's answer

# The eight clients: a demo login and what that role does besides reading.
CLIENTS = {
    "leader": ["item_create", "item_action", "comment", "report"],
    "duban": ["item_create", "item_action"],
    "jingfa": ["import", "report", "item_action", "comment", "worklog"],
    "jingfa_staff": ["report", "worklog", "item_action"],
    "zhaoshang": ["worklog", "report"],
    "chengdong": ["report", "worklog", "item_action", "comment"],
    "ziran": ["item_action", "worklog"],
    "jijian": [],  # the inspector only reads
}
# Verbs each kind of role takes on 督办 items (cancel and extensions are left out: they end
# items or need a date the form cannot guess; the suite covers them).
ITEM_VERBS = {
    "leader": ["urge"],
    "duban": ["urge", "start_verification", "verify", "return"],
    "unit": ["accept", "start", "report"],
}
# Lead units for new items, with a person there (tuijin/org/demo.py), so the unit clients
# always have items to sign and report on.
ITEM_UNITS = {"经济发展局": "张强", "城东产业园": "孙伟", "自然资源和规划分局": "吴海燕"}
READS = [
    ("home", "/"),
    ("ledger", "/projects/"),
    ("ledger_search", "/projects/?q={term}"),
    ("project_detail", None),
    ("item_board", "/supervision/"),
    ("item_search", "/supervision/?q={term}"),
    ("unit_board", "/supervision/units/"),
    ("item_detail", None),
    ("log_list", "/worklogs/"),
    ("log_search", "/worklogs/?q={term}"),
    ("log_detail", None),
    ("problems", "/supervision/problems/"),
    ("meetings", "/meetings/"),
    ("enterprises", "/projects/enterprises/"),
]
SEARCH_TERMS = ["新能源", "xny", "园", "土地", "用电", "压测", "施工许可", "能耗"]
WRITE_KINDS = {  # every one must succeed at least once
    "report": "write:report",
    "worklog": "write:worklog",
    "item_action": "write:item_action",
    "item_create": "write:item_create",
    "comment": "write:comment",
    "import": "import:confirm",
}


# --------------------------------------------------------------------------------------
# Forms as a browser sees them
# --------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)  # [name, kind, value, checked, options]

    def options(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of a select's options or a radio group's buttons."""
        found = []
        for fname, kind, value, _checked, options in self.fields:
            if fname != name:
                continue
            if kind == "select":
                found += [(v, label) for v, label, _selected in options]
            elif kind == "radio":
                found.append((value, value))
        return found

    def has(self, name: str) -> bool:
        return any(f[0] == name for f in self.fields)

    def data(self, **changes) -> list[tuple[str, str]]:
        """What a browser submits: every field's current value, then `changes` (None removes)."""
        pairs = []
        for name, kind, value, checked, options in self.fields:
            if not name or name in changes or kind in {"file", "submit", "button", "image"}:
                continue
            if kind in {"checkbox", "radio"}:
                if checked:
                    pairs.append((name, value if value is not None else "on"))
            elif kind == "select":  # `value` holds whether it is a multiple select
                selected = [v for v, _label, sel in options if sel]
                if selected:
                    pairs += [(name, v) for v in selected]
                elif options and not value:  # a single select shows (and sends) its first
                    pairs.append((name, options[0][0]))
            else:
                pairs.append((name, value or ""))
        for name, value in changes.items():
            if value is None:
                continue
            for one in value if isinstance(value, list) else [value]:
                pairs.append((name, str(one)))
        return pairs


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(
                a.get("action") or "",
                (a.get("method") or "get").lower(),
                a.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            self._form.fields.append([a.get("name"), kind, a.get("value"), "checked" in a, []])
        elif tag == "select":
            self._select = [a.get("name"), "select", "multiple" in a, False, []]
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "", "selected" in a]
            self._select[4].append(self._option)
        elif tag == "textarea":
            self._textarea = [a.get("name"), "textarea", "", False, []]
            self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._select is not None:
                self._select[4] = [
                    (v if v is not None else label.strip(), label.strip(), sel)
                    for v, label, sel in self._select[4]
                ]
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        elif self._textarea is not None:
            self._textarea[2] += data.lstrip("\n") if not self._textarea[2] else data


def parse_forms(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def form_by_action(page: str, pattern: str) -> Form | None:
    """The first POST form whose action matches (the page's own: action "")."""
    for form in parse_forms(page):
        if form.method == "post" and re.search(pattern, form.action):
            return form
    return None


ERROR_RE = re.compile(
    r'<(?:div|ul|li|span|p|td)[^>]*class="[^"]*(?:invalid-feedback|errorlist|alert-danger|'
    r'alert-warning|text-danger)[^"]*"[^>]*>(.*?)</(?:div|ul|li|span|p|td)>',
    re.S,
)


def page_errors(page: str) -> str:
    texts = [re.sub(r"<[^>]+>|\s+", " ", html.unescape(m)).strip() for m in ERROR_RE.findall(page)]
    return " | ".join(t for t in texts if t.strip("* "))[:300] or "(no message found)"


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)  # kind -> [ms]
        self.outcome = defaultdict(Counter)  # kind -> Counter(ok / conflict / refused / error)
        self.statuses = Counter()  # every HTTP status (or exception name)
        self.errors = []  # (t, user, kind, method, url, status, detail)
        self.refusals = Counter()  # (kind, message)
        self.verbs = Counter()  # 督办 verbs posted
        self.writes = []  # (start, ms) of every answered write POST
        self.imports = []  # (start, end) of every import's confirmation, job included

    def add(self, kind, status, ms, outcome="ok"):
        """One answered request (`outcome` None: counted by the `error` that follows)."""
        with self.lock:
            self.latency[kind].append(ms)
            if outcome:
                self.outcome[kind][outcome] += 1
            self.statuses[status] += 1

    def error(self, user, kind, method, url, status, detail=""):
        with self.lock:
            self.outcome[kind]["error"] += 1
            self.errors.append(
                (round(time.monotonic(), 1), user, kind, method, url, status, detail[:300])
            )

    def refused(self, kind, message):
        with self.lock:
            self.refusals[(kind, message)] += 1


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


# --------------------------------------------------------------------------------------
# One client
# --------------------------------------------------------------------------------------


def small_jpegs(count: int = 4) -> list[bytes]:
    """Phone-sized JPEGs made here (no files shipped): a few colours and shapes each."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    photos = []
    for _ in range(count):
        image = Image.new("RGB", (1280, 960), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randrange(1200), rng.randrange(900)
            draw.rectangle(
                (x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 300)),
                fill=tuple(rng.randrange(256) for _ in range(3)),
            )
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        photos.append(out.getvalue())
    return photos


class Client(threading.Thread):
    def __init__(self, run: Run, username: str, writes: list[str], seed: int):
        super().__init__(name=username, daemon=True)
        self.run_ = run
        self.username = username
        self.writes = writes
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"tuijin-soak/{username}"
        self.base = run.site.base_url
        self.stats = run.stats
        self.seen = defaultdict(set)  # "project" / "item" / "log" -> ids met on pages
        self.next_import = 0.0  # set when the first import starts

    # -- HTTP -----------------------------------------------------------------------------

    def request(self, kind, method, url, *, expect=(200,), data=None, files=None, headers=None):
        """One request, timed and classified; returns the response or None on an error."""
        url = urljoin(self.base, url)
        headers = dict(headers or {})
        if method == "POST":
            headers.setdefault("Origin", self.base)
            headers.setdefault("Referer", url)
        started = time.monotonic()
        try:
            answer = self.session.request(
                method,
                url,
                data=data,
                files=files,
                headers=headers,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as exc:
            ms = (time.monotonic() - started) * 1000
            self.stats.add(kind, type(exc).__name__, ms, None)
            self.stats.error(self.username, kind, method, url, type(exc).__name__, str(exc))
            return None
        ms = (time.monotonic() - started) * 1000
        status = answer.status_code
        location = answer.headers.get("Location", "")
        if status in expect and not (status == 302 and "/accounts/" in location):
            self.stats.add(kind, status, ms)
            if method == "POST" and kind.startswith("write:"):
                with self.stats.lock:
                    self.stats.writes.append((started, ms))
            return answer
        if status == 409:  # another client changed the record first: the app's answer
            self.stats.add(kind, status, ms, "conflict")
            self.stats.refused(kind, "409 " + page_errors(answer.text))
            return None
        self.stats.add(kind, status, ms, None)
        detail = location if status in (301, 302) else page_errors(answer.text)
        self.stats.error(self.username, kind, method, url, status, detail)
        return None

    def get(self, kind, url, **kw):
        answer = self.request(kind, "GET", url, **kw)
        if answer is not None and "html" in answer.headers.get("Content-Type", ""):
            self.remember(urlsplit(answer.url).path, answer.text)
        return answer

    def submit(self, kind, page_url, form: Form, changes: dict, files=()):
        """POST a form as a browser would; a redirect is success (and is followed), the same
        page again is a refusal (its message is counted), anything else an error."""
        action = urljoin(urljoin(self.base, page_url), form.action or page_url)
        pairs = form.data(**changes)
        headers = {"Referer": urljoin(self.base, page_url)}
        if form.enctype == "multipart/form-data":
            parts = [(k, (None, v)) for k, v in pairs] + list(files)
            answer = self.request(
                kind, "POST", action, files=parts, expect=(302, 200), headers=headers
            )
        else:
            answer = self.request(
                kind, "POST", action, data=pairs, expect=(302, 200), headers=headers
            )
        if answer is None:
            return None
        if answer.status_code == 200:
            with self.stats.lock:  # a refusal: move it from ok to refused
                self.stats.outcome[kind]["ok"] -= 1
                self.stats.outcome[kind]["refused"] += 1
            self.stats.refused(kind, page_errors(answer.text))
            return None
        self.get("read:after_post", answer.headers["Location"])
        return answer

    def remember(self, path: str, page: str):
        """Ids of records in the lists that offer them (the ledger, the board, the log list).
        Other pages may link records the user cannot open (an item's project seen by a
        co-unit): a user clicks there and gets 404, which is not what the soak measures."""
        for kind, listing, pattern in (
            ("project", "/projects/", r'href="/projects/(\d+)/"'),
            ("item", "/supervision/", r'href="/supervision/items/(\d+)/"'),
            ("log", "/worklogs/", r'href="/worklogs/(\d+)/"'),
        ):
            if path != listing:
                continue
            ids = re.findall(pattern, page)
            if ids:
                self.seen[kind].update(int(i) for i in ids)
                if len(self.seen[kind]) > 400:
                    self.seen[kind] = set(self.rng.sample(sorted(self.seen[kind]), 200))

    def pick(self, kind):
        return self.rng.choice(sorted(self.seen[kind])) if self.seen[kind] else None

    # -- reads ----------------------------------------------------------------------------

    def read(self, name=None):
        name, path = next(r for r in READS if r[0] == name) if name else self.rng.choice(READS)
        if path is None:
            kind, listing = {
                "project_detail": ("project", "/projects/"),
                "item_detail": ("item", "/supervision/"),
                "log_detail": ("log", "/worklogs/"),
            }[name]
            pk = self.pick(kind)
            if pk is None:
                self.get("read:" + name.replace("detail", "list"), listing)
                return
            path = {
                "project": "/projects/{}/",
                "item": "/supervision/items/{}/",
                "log": "/worklogs/{}/",
            }[kind].format(pk)
        self.get("read:" + name, path.format(term=self.rng.choice(SEARCH_TERMS)))

    # -- writes ---------------------------------------------------------------------------

    def report(self):
        """A progress report on a project this user may report on (the detail page offers it)."""
        page = self.get("read:ledger", f"/projects/?page={self.rng.randint(1, 3)}")
        if page is None:
            return
        for _ in range(4):
            pk = self.pick("project")
            detail = pk and self.get("read:project_detail", f"/projects/{pk}/")
            if detail and f"/projects/{pk}/report/" in detail.text:
                break
        else:
            return
        url = f"/projects/{pk}/report/"
        page = self.get("read:report_form", url)
        form = page and form_by_action(page.text, r"^$|/report/$")
        if not form:
            return
        open_periods = [v for v, label in form.options("period") if "已填报" not in label]
        if not open_periods:
            return  # every period offered is reported: nothing to do here
        photos = []
        if self.rng.random() < 0.3:
            jpeg = self.rng.choice(self.run_.photos)
            photos = [("photos", ("现场.jpg", jpeg, "image/jpeg"))]
        self.submit(
            "write:report",
            url,
            form,
            {
                "period": open_periods[0],
                "narrative": f"压测填报:{self.username} 第{self.rng.randint(1, 99)}次,主体施工推进。",
                "progress": self.rng.randint(5, 95),
                "investment": f"{self.rng.uniform(10, 900):.2f}",
                "problems": "" if self.rng.random() < 0.7 else "用电接入待协调",
            },
            files=photos,
        )

    def worklog(self):
        url = "/worklogs/new/"
        page = self.get("read:log_form", url)
        form = page and form_by_action(page.text, r"^$|/worklogs/new/$")
        if not form:
            return
        today = dt.datetime.now(TZ).date()
        last_week = [today - dt.timedelta(days=n) for n in range(7)]
        weekend = self.rng.choice([day for day in last_week if day.weekday() >= 5])
        changes = {
            "kind": "weekend",
            "date": weekend.isoformat(),
            "text": f"压测日志:{self.username} 走访企业,协调用电和土地指标 {self.rng.randint(1, 9999)}",
        }
        subjects = [v for v, _label in form.options("visits-0-subject") if v]
        if subjects and self.rng.random() < 0.5:
            changes["visits-0-subject"] = self.rng.choice(subjects)
            changes["visits-0-purpose"] = "了解项目用工情况"
        photos = []
        if self.rng.random() < 0.3:
            photos = [("photos", ("日志.jpg", self.rng.choice(self.run_.photos), "image/jpeg"))]
        self.submit("write:worklog", url, form, changes, files=photos)

    def comment(self):
        self.get("read:log_list", "/worklogs/")
        for _ in range(4):
            pk = self.pick("log")
            page = pk and self.get("read:log_detail", f"/worklogs/{pk}/")
            form = page and form_by_action(page.text, rf"/worklogs/{pk}/comment/$")
            if form:
                text = f"阅。请继续跟进({self.username} {self.rng.randint(1, 999)})"
                self.submit("write:comment", f"/worklogs/{pk}/", form, {"text": text})
                return

    def item_create(self):
        url = "/supervision/items/new/"
        page = self.get("read:item_form", url)
        form = page and form_by_action(page.text, r"^$|/items/new/$")
        if not form:
            return
        unit_name = self.rng.choice(sorted(ITEM_UNITS))
        units = {label: v for v, label in form.options("lead_unit")}
        people = [v for v, label in form.options("responsible") if ITEM_UNITS[unit_name] in label]
        projects = [v for v, _label in form.options("project") if v]
        if unit_name not in units:
            self.stats.error(
                self.username, "write:item_create", "GET", url, "form", f"no unit {unit_name}"
            )
            return
        self.submit(
            "write:item_create",
            url,
            form,
            {
                "title": f"压测督办事项 {self.rng.randint(1, 99999)}",
                "requirement": "按期完成并反馈",
                "result_standard": "现场核查属实",
                "project": self.rng.choice(projects) if projects else "",
                "lead_unit": units[unit_name],
                "responsible": people[0] if people else "",
                "deadline_mode": "calendar",
                "deadline_days": self.rng.randint(3, 15),
            },
        )

    def item_action(self):
        self.get("read:item_board", "/supervision/")
        role = self.username if self.username in ITEM_VERBS else "unit"
        verbs = ITEM_VERBS[role]
        for _ in range(4):
            pk = self.pick("item")
            url = f"/supervision/items/{pk}/"
            page = pk and self.get("read:item_detail", url)
            if not page:
                continue
            offered = {}
            for form in parse_forms(page.text):
                if match := re.search(rf"/supervision/items/{pk}/(\w+)/$", form.action):
                    offered[match[1]] = form
            choices = [v for v in verbs if v in offered]
            if not choices:
                continue
            verb = self.rng.choice(choices)
            form = offered[verb]
            changes = {}
            prefix = verb + "-"
            if form.has(prefix + "text"):
                changes[prefix + "text"] = f"压测:{self.username} 已按要求办理,现场已整改。"
            if form.has(prefix + "note"):
                changes[prefix + "note"] = "请加快进度" if verb == "urge" else "压测说明"
            if verb == "verify":
                results = [v for v, _label in form.options(prefix + "result")]
                changes[prefix + "result"] = results[0] if results else ""
            files = []
            if verb == "report" and self.rng.random() < 0.3:
                files = [
                    (
                        prefix + "photos",
                        ("佐证.jpg", self.rng.choice(self.run_.photos), "image/jpeg"),
                    )
                ]
            with self.stats.lock:
                self.stats.verbs[verb] += 1
            self.submit("write:item_action", url, form, changes, files=files)
            return

    def do_import(self):
        """The Excel import as an official does it: template, fill, upload, preview, confirm."""
        from openpyxl import load_workbook

        run = self.run_
        page = self.get("read:import_page", "/projects/import/")
        template = self.get("read:import_template", "/projects/import/template.xlsx")
        if page is None or template is None:
            return
        upload_form = form_by_action(page.text, r"^$|/projects/import/$")
        workbook = load_workbook(io.BytesIO(template.content))
        sheet = workbook["项目"] if "项目" in workbook.sheetnames else workbook.worksheets[0]
        headers = [c.value for c in sheet[1]]
        with run.lock:
            run.import_round += 1
            round_ = run.import_round
        parks = ["青春化工园", "城东产业园", "铁北产业园", "府南产业园"]
        year = dt.datetime.now(TZ).date().year
        values = {
            "项目编号": lambda i: f"SOAK-{i:05d}",
            "项目名称": lambda i: f"压测导入项目{i:05d}",
            "所属园区": lambda i: parks[i % 4],
            "责任单位": lambda i: "经济发展局",
            "业主企业": lambda i: f"压测企业{i % 40:02d}有限公司",
            "项目阶段": lambda i: "在建",
            "建设内容": lambda i: f"第{round_}轮导入:新建厂房及配套设施",
            "总投资(万元)": lambda i: 10_000 + i + round_,
            "计划年度": lambda i: year,
            "年度计划投资(万元)": lambda i: 3_000 + round_,
            "计划开工": lambda i: dt.date(year, 1 + i % 12, 1),
            "产业标签": lambda i: "压测",
        }
        for row in range(2, sheet.max_row + 1):  # the example row and anything below it
            for cell in sheet[row]:
                cell.value = None
        for n in range(run.args.import_rows):
            for col, header in enumerate(headers, start=1):
                if header in values:
                    sheet.cell(row=n + 2, column=col, value=values[header](n + 1))
        out = io.BytesIO()
        workbook.save(out)
        files = [
            (
                "file",
                (
                    "压测导入.xlsx",
                    out.getvalue(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            )
        ]
        parts = [(k, (None, v)) for k, v in upload_form.data()] + files
        preview = self.request(
            "import:upload",
            "POST",
            "/projects/import/",
            files=parts,
            headers={"Referer": self.base + "/projects/import/"},
        )
        if preview is None:
            return
        confirm = form_by_action(preview.text, r"/projects/import/confirm/$")
        if confirm is None:
            self.stats.error(
                self.username,
                "import:upload",
                "POST",
                "/projects/import/",
                200,
                page_errors(preview.text),
            )
            return
        started = time.monotonic()
        done = self.submit("import:confirm", "/projects/import/", confirm, {})
        if done is not None and re.search(r"/jobs/\d+/", done.headers.get("Location", "")):
            self.wait_job(done.headers["Location"], started)
        with self.stats.lock:
            self.stats.imports.append((started, time.monotonic()))
        log(
            f"  import round {round_} ({run.args.import_rows} rows) by {self.username}: "
            f"{'done' if done is not None else 'FAILED'} in {time.monotonic() - started:.1f} s"
        )

    def wait_job(self, url, started):
        """Poll a background job's page as its htmx partial does, until it ends."""
        while time.monotonic() - started < 900:
            answer = self.request("import:job_poll", "GET", url, headers={"HX-Request": "true"})
            if answer is None:
                return
            if "alert-danger" in answer.text:
                self.stats.error(
                    self.username, "import:job", "GET", url, "failed", page_errors(answer.text)
                )
                return
            if "hx-trigger" not in answer.text:
                self.stats.add("import:job", 200, (time.monotonic() - started) * 1000)
                return
            time.sleep(1)
        self.stats.error(
            self.username, "import:job", "GET", url, "timeout", "job unfinished after 900 s"
        )

    # -- the loop -------------------------------------------------------------------------

    def step(self, action: str):
        if action == "read":
            self.read()
        elif action == "import":
            self.do_import()
        else:
            getattr(self, action)()

    def run(self):
        run = self.run_
        try:
            login(self.session, self.base, self.username, PASSWORD)
        except Exception as exc:
            self.stats.error(
                self.username, "login", "POST", "/accounts/login/", type(exc).__name__, str(exc)
            )
            return
        # Warm-up: every page and every write once, so the workers load every module before
        # the RSS baseline is taken.
        # The import goes first: its round is the one every run has, however short.
        first = [(w, None) for w in self.writes] + [("read", name) for name, _path in READS]
        for action, name in first:
            if run.stop.is_set():
                return
            if action == "import":
                self.next_import = time.monotonic() + run.args.import_every
            self.safe(lambda a=action, n=name: self.read(n) if a == "read" else self.step(a))
        writes = [w for w in self.writes if w != "import"]
        while not run.stop.is_set():
            if "import" in self.writes and time.monotonic() >= self.next_import:
                self.next_import = time.monotonic() + run.args.import_every
                self.safe(self.do_import)
            elif writes and self.rng.random() < run.args.write_share:
                self.safe(lambda: self.step(self.rng.choice(writes)))
            else:
                self.safe(self.read)
            run.stop.wait(self.rng.uniform(0, 2 * run.args.think))

    def safe(self, fn):
        try:
            fn()
        except Exception as exc:
            self.stats.error(self.username, "client", "-", "-", type(exc).__name__, repr(exc))


# --------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------


class Run:
    def __init__(self, args, site: LiveSite):
        self.args = args
        self.site = site
        self.stats = Stats()
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.import_round = 0
        self.photos = small_jpegs()


def rss_snapshot(site: LiveSite) -> dict[int, int]:
    return {pid: read_rss_kb(pid) or 0 for pid in site.worker_pids()}


LOG_PATTERNS = {
    "database is locked": re.compile(r"database is locked", re.I),
    "ERROR lines": re.compile(r"^\S+ (ERROR|CRITICAL) "),
    # Django's own word on a 4xx (a 409 conflict is the app's answer, counted apart).
    "request warnings": re.compile(r"^\S+ WARNING django\.request \[\d+\] (?!Conflict:)"),
    "tracebacks": re.compile(r"^Traceback "),
    "worker timeouts": re.compile(r"WORKER TIMEOUT|Worker \(pid:\d+\) was sent"),
}
ACCESS_5XX = re.compile(r'" (5\d\d) \S+ \S+ms')


def scan_logs(site: LiveSite) -> dict:
    found = {}
    for name, path in site.logs.items():
        text = path.read_text(errors="replace") if path.exists() else ""
        for label, pattern in LOG_PATTERNS.items():
            lines = [ln for ln in text.splitlines() if pattern.search(ln)]
            if lines:
                found[f"{name}: {label}"] = {"count": len(lines), "first": lines[:3]}
        if name == "server":
            fives = [ln for ln in text.splitlines() if ACCESS_5XX.search(ln)]
            if fives:
                found["server: 5xx in the access log"] = {"count": len(fives), "first": fives[:3]}
    return found


def check_audit(site: LiveSite, wait_seconds: float) -> dict:
    """`verify_audit` at the end. If the site has a command that seals the chain (V10's sealer),
    run it first; if the check still fails, retry until the sealer's grace period has passed."""
    commands = site.manage_output("help", "--commands").stdout.split()
    sealers = [c for c in commands if "seal" in c]
    verify = ["verify_audit"]
    deadline = time.monotonic() + wait_seconds
    attempts = []
    while True:
        for command in sealers:
            sealed = site.manage_output(command)
            attempts.append(
                f"{command}: exit {sealed.returncode} {(sealed.stdout + sealed.stderr).strip()[-200:]}"
            )
        result = site.manage_output(*verify)
        text = (result.stdout + result.stderr).strip()
        attempts.append(f"{' '.join(verify)}: exit {result.returncode} {text[-300:]}")
        if result.returncode == 0 or time.monotonic() > deadline:
            return {
                "command": " ".join(verify),
                "ok": result.returncode == 0,
                "output": text[-600:],
                "sealers": sealers,
                "attempts": attempts[-6:],
            }
        time.sleep(15)


def audit_records(site: LiveSite) -> dict | None:
    """`verify_audit --records` (V10), where the command has it: each audited row compared with
    its events, so a write that skipped the audit (a bulk update, raw SQL) is named. Returns the
    number of rows named and the lines, or None without the option."""
    if "--records" not in site.manage_output("verify_audit", "--help").stdout:
        return None
    result = site.manage_output("verify_audit", "--records")
    text = (result.stdout + result.stderr).strip()
    lines = [ln for ln in text.splitlines() if re.search(r"#\d+ 字段", ln)]
    more = re.search(r"另有 (\d+) 处", text)
    return {"count": len(lines) + (int(more[1]) if more else 0), "lines": lines}


def soak_one(args, vendor: str) -> dict:
    db_url = args.db_url if vendor == "postgresql" else ""
    site = LiveSite(name=vendor, var_dir=RESULTS_DIR / vendor, db_url=db_url)
    log(f"== {vendor}: preparing {site.var_dir}")
    result = {"vendor": vendor, "minutes": args.minutes, "clients": list(CLIENTS), "failures": []}
    site.prepare()
    records_demo = audit_records(site)
    try:
        site.start()
        run = Run(args, site)
        pids_start = site.worker_pids()
        clients = [
            Client(run, user, CLIENTS[user], seed=args.seed + i) for i, user in enumerate(CLIENTS)
        ]
        duration = args.minutes * 60
        warmup = args.warmup if args.warmup is not None else min(60.0, duration / 2)
        started = time.monotonic()
        for client in clients:
            client.start()
        log(f"{vendor}: {len(clients)} clients for {args.minutes:g} min (warm-up {warmup:.0f} s)")
        run.stop.wait(warmup)
        rss_warm = rss_snapshot(site)
        huey_warm = read_rss_kb(site.huey_pid)
        while (left := duration - (time.monotonic() - started)) > 0:
            run.stop.wait(min(60, left))
            done = sum(sum(c.values()) for c in run.stats.outcome.values())
            errors = len(run.stats.errors)
            log(f"{vendor}: {time.monotonic() - started:5.0f} s, {done} requests, {errors} errors")
        rss_end = rss_snapshot(site)
        huey_end = read_rss_kb(site.huey_pid)
        run.stop.set()
        for client in clients:
            client.join(timeout=REQUEST_TIMEOUT + 30)
        elapsed = time.monotonic() - started
        pids_end = site.worker_pids()
        health = requests.get(site.base_url + "/healthz", timeout=30)
        result["healthz"] = {"status": health.status_code, "body": health.text[:300]}
        result["audit"] = check_audit(site, args.audit_wait)
        records_end = audit_records(site)
        if records_end is not None:
            new = [ln for ln in records_end["lines"] if ln not in records_demo["lines"]]
            result["audit_records"] = {
                "after_demo": records_demo["count"],
                "end": records_end["count"],
                "new_sample": new[:10],
            }
        result["alive"] = site.alive()
    finally:
        site.stop()
    result["logs"] = scan_logs(site)
    if not args.keep:
        site.drop()

    stats = run.stats
    kinds = {}
    for kind in sorted(stats.latency):
        values = stats.latency[kind]
        kinds[kind] = {
            "n": len(values),
            **dict(stats.outcome[kind]),
            "p50_ms": round(pct(values, 50), 1),
            "p95_ms": round(pct(values, 95), 1),
            "max_ms": round(max(values), 1),
        }
    verbs = dict(stats.verbs.most_common())
    requests_total = sum(v["n"] for v in kinds.values())
    # Writes that were answered while an import was being applied: how long they waited.
    during = [
        ms
        for start, ms in stats.writes
        if any(a <= start <= b or start <= a <= start + ms / 1000 for a, b in stats.imports)
    ]
    growth = {}
    for pid, before in rss_warm.items():
        after = rss_end.get(pid)
        growth[pid] = {
            "warm_kb": before,
            "end_kb": after,
            "growth": round((after - before) / before, 4) if after and before else None,
        }
    result |= {
        "elapsed_s": round(elapsed, 1),
        "warmup_s": warmup,
        "requests": requests_total,
        "requests_per_s": round(requests_total / elapsed, 2),
        "statuses": {str(k): v for k, v in stats.statuses.most_common()},
        "errors": len(stats.errors),
        "error_samples": stats.errors[:30],
        "errors_by_status": dict(Counter(str(e[5]) for e in stats.errors)),
        "refusals": [
            {"kind": k, "message": m, "count": n} for (k, m), n in stats.refusals.most_common(20)
        ],
        "kinds": kinds,
        "item_verbs": verbs,
        "imports": run.import_round,
        "writes_during_imports": {
            "n": len(during),
            "p50_ms": round(pct(during, 50), 1) if during else None,
            "max_ms": round(max(during), 1) if during else None,
        },
        "rss": {"workers": growth, "huey_warm_kb": huey_warm, "huey_end_kb": huey_end},
        "worker_pids": {"start": pids_start, "end": pids_end},
    }
    failures = result["failures"]
    if stats.errors:
        failures.append(f"{len(stats.errors)} request errors: {result['errors_by_status']}")
    for label, hit in result["logs"].items():
        failures.append(f"{label}: {hit['count']} (first: {hit['first'][0][:200]})")
    if set(pids_start) != set(pids_end):
        failures.append(f"workers replaced: {pids_start} -> {pids_end}")
    for pid, g in growth.items():
        if g["growth"] is None or g["growth"] > RSS_GROWTH_LIMIT:
            failures.append(f"worker {pid} RSS {g['warm_kb']} -> {g['end_kb']} KiB (limit +15 %)")
    if not result["audit"]["ok"]:
        failures.append(f"{result['audit']['command']}: {result['audit']['output'][-300:]}")
    records = result.get("audit_records")
    if records and records["end"] > records["after_demo"]:
        failures.append(
            f"verify_audit --records: {records['end']} rows differ from their events at the end, "
            f"{records['after_demo']} after load_demo; new: {records['new_sample'][:3]}"
        )
    if result["healthz"]["status"] != 200:
        failures.append(f"/healthz {result['healthz']['status']}: {result['healthz']['body']}")
    if not all(result["alive"].values()):
        failures.append(f"a process died during the soak: {result['alive']}")
    wanted = {w for writes in CLIENTS.values() for w in writes}
    for write in sorted(wanted):
        kind = WRITE_KINDS[write]
        if kinds.get(kind, {}).get("ok", 0) < 1:
            failures.append(f"no successful {kind}: the soak did not exercise it")
    result["ok"] = not failures
    return result


def print_report(result: dict) -> None:
    r = result
    print(f"\n## {r['vendor']}: {r['minutes']:g} min, {len(r['clients'])} clients")
    print(
        f"requests {r['requests']} ({r['requests_per_s']}/s), errors {r['errors']} "
        f"{r['errors_by_status'] or ''}, imports {r['imports']}, item verbs {r['item_verbs']}"
    )
    print(f"statuses: {r['statuses']}")
    print(f"writes answered while an import was applied: {r['writes_during_imports']}")
    print("\n| kind | n | ok | refused | conflict | error | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, k in r["kinds"].items():
        print(
            f"| {kind} | {k['n']} | {k.get('ok', 0)} | {k.get('refused', 0)} | "
            f"{k.get('conflict', 0)} | {k.get('error', 0)} | {k['p50_ms']} | {k['p95_ms']} | {k['max_ms']} |"
        )
    print("\nworker RSS (KiB) after warm-up → end:")
    for pid, g in r["rss"]["workers"].items():
        share = f"{g['growth'] * 100:+.1f} %" if g["growth"] is not None else "gone"
        print(f"  worker {pid}: {g['warm_kb']} → {g['end_kb']} ({share})")
    print(f"  huey consumer: {r['rss']['huey_warm_kb']} → {r['rss']['huey_end_kb']}")
    print(
        f"{r['audit']['command']}: {'clean' if r['audit']['ok'] else 'FAILED'}: "
        f"{r['audit']['output'][-300:]}"
    )
    if records := r.get("audit_records"):
        print(
            f"verify_audit --records: {records['after_demo']} rows differ from their events "
            f"after load_demo, {records['end']} at the end"
        )
    print(f"/healthz: {r['healthz']['status']}")
    if r["refusals"]:
        print("refusals and conflicts (the app's own answers, not errors):")
        for item in r["refusals"][:10]:
            print(f"  {item['count']:4d} × {item['kind']}: {item['message'][:160]}")
    if r["error_samples"]:
        print("errors (first 30):")
        for e in r["error_samples"]:
            print(f"  {e}")
    print("RESULT: " + ("PASS" if r["ok"] else "FAIL"))
    for failure in r["failures"]:
        print(f"  - {failure}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument(
        "--db-url", default=DEFAULT_PG_URL, help="PostgreSQL database to create and drop"
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the clients run")
    parser.add_argument(
        "--warmup",
        type=float,
        default=None,
        help="seconds before the RSS baseline (default min(60, half the run))",
    )
    parser.add_argument(
        "--think", type=float, default=0.5, help="mean pause between a client's steps (s)"
    )
    parser.add_argument("--write-share", type=float, default=0.35, help="share of steps that write")
    parser.add_argument("--import-rows", type=int, default=1000, help="rows in each Excel import")
    parser.add_argument("--import-every", type=float, default=180, help="seconds between imports")
    parser.add_argument(
        "--audit-wait",
        type=float,
        default=150,
        help="how long verify_audit may wait for the sealer (s)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.minutes <= 0:
        sys.exit("--minutes must be positive")
    vendors = {"sqlite": ["sqlite"], "postgres": ["postgresql"], "both": ["sqlite", "postgresql"]}[
        args.db
    ]
    results = []
    for vendor in vendors:
        result = soak_one(args, vendor)
        results.append(result)
        print_report(result)
        out = RESULTS_DIR / f"{dt.datetime.now(TZ).date()}-{vendor}-{args.minutes:g}min.json"
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        log(f"results: {out.relative_to(BASE_DIR)}")
    print("\nSOAK " + ", ".join(f"{r['vendor']}: {'PASS' if r['ok'] else 'FAIL'}" for r in results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
