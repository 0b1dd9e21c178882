"""English is English (L11 part 13): every page of the URL walk, opened in English, shows no
Chinese text of its own. Chinese that comes from the database is data (names of units, people
and projects, what users typed, stored message texts) and is left as it is.

How data is told from interface: every string held in the database (text and JSON columns,
each record's ``__str__``) is cut into pieces at spaces and at the punctuation templates put
between values (``pieces``); a page's piece that is one of those pieces, or the beginning of
one when it ends in ``…``, is data. Whatever Chinese piece is left is interface text the
English catalog lacks, a Chinese date format or a sentence built in code, listed by page:

    projects:project_list /projects/ as leader: 计划开工 | 全部单位

(Pieces rather than runs of Chinese characters: a date written 2026年11月29日 is one piece,
found nowhere in the database, where its runs 年, 月, 日 would pass for data.)

Text inside an element marked ``lang="zh-hans"`` is Chinese on purpose (the language menu
names 简体中文 in itself; the proposed agenda becomes the Chinese minutes), and so are the import
files' own words quoted by the import pages' help: their column and sheet names and the values
a column takes (``file_literals``). Scripts, styles and hidden inputs are not text; the page's
visible text, ``title``, ``placeholder``, ``aria-label`` and ``alt`` are. Pages answering other
than 200, downloads and the admin (Django's own catalog) are not crawled.

Runs on the URL walk's demo and sample records (``urls`` and ``walk`` fixtures). The crawl fails
on what is missing from ``locale/en/LC_MESSAGES/django.po``: after ``make messages``, translate
the new ``msgstr`` lines.
"""

import bisect
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from lxml import html as lxml_html

from conftest import login_as
from tests.test_every_url import urls, walk  # noqa: F401 (the URL walk's fixtures)

pytestmark = pytest.mark.presentation

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Text is cut into pieces at spaces and the punctuation templates put between values; a piece
# with Chinese in it must be (the beginning of) a piece of the database.
SEPARATORS = re.compile(r"[\s+−、,，;；·|/:：()（）\[\]【】<>《》\"“”'‘’。!！?？]+")
ELLIPSIS = ("…", "...")


def pieces(text: str) -> list[str]:
    """The pieces of a text that hold Chinese (a name cut short keeps its "…")."""
    return [p for p in SEPARATORS.split(text) if CJK.search(p)]


ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "template", "noscript"}
# One persona per kind of home page and menu (L11 part 11): each sees other pages and words.
PERSONAS = ["leader", "duban", "jingfa", "zhaoshang", "qiye", "admin"]
# Pages that are not HTML or not ours (downloads, the admin has its own translations).
SKIPPED_PAGES = {"healthz", "file", "file_thumbnail", "job_download"}


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from json_strings(key)
            yield from json_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from json_strings(item)


def data_runs() -> list[str]:
    """Every piece of Chinese text held in the database, sorted (exact and prefix look-ups)."""
    runs = set()
    with translation.override("en"):
        for model in apps.get_models():
            text_fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
                and not f.choices
            ]
            rows = model._default_manager.all()
            if text_fields:
                for values in rows.values_list(*text_fields):
                    for value in values:
                        for text in json_strings(value):
                            runs.update(pieces(text))
            if rows.count() <= 3000:  # a record's name as its __str__ writes it
                for row in rows.iterator(chunk_size=500):
                    runs.update(pieces(str(row)))
    return sorted(runs)


def file_literals() -> list[str]:
    """Chinese the import files themselves are written in (their column and sheet names, the
    values a column takes, the example row's code): an English page quotes them as in the file."""
    from tuijin.org import imports as org_imports
    from tuijin.projects.excel import template

    texts = [*template.HEADERS, *template.EXPORT_ONLY_HEADERS, template.EXAMPLE_CODE]
    for column in template.COLUMNS:
        if column.choices:
            texts += template.choice_labels(column.choices)
    for sheet, columns in org_imports.SHEETS.items():
        texts += [sheet, *(c.header for c in columns)]
        texts += [c.help for c in columns if c.literal]
    return [piece for text in texts for piece in pieces(text)]


class Runs:
    def __init__(self):
        self.sorted = sorted({*data_runs(), *file_literals()})
        self.known = set(self.sorted)

    def is_data(self, piece: str) -> bool:
        if piece in self.known:
            return True
        for ellipsis in ELLIPSIS:
            if piece.endswith(ellipsis):  # a name cut short: the beginning of a piece of data
                start = piece.removesuffix(ellipsis)
                at = bisect.bisect_left(self.sorted, start)
                return at < len(self.sorted) and self.sorted[at].startswith(start)
        return False


def page_texts(content: bytes):
    """The visible text and labelling attributes of a page, without Chinese-on-purpose parts."""
    tree = lxml_html.fromstring(content)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        if element.tag in SKIPPED_TAGS or element.get("hidden") is not None:
            continue
        if any(a.get("lang", "").startswith("zh") for a in element.iterancestors()) or (
            element.get("lang", "").startswith("zh")
        ):
            continue
        if element.tag == "input" and element.get("type") == "hidden":
            continue
        if element.text and not any(a.tag in SKIPPED_TAGS for a in element.iterancestors()):
            yield element.text
        for name in ATTRIBUTES:
            if element.get(name):
                yield element.get(name)
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            yield element.get("value") or ""
        parent = element.getparent()
        if element.tail and parent is not None and parent.tag not in SKIPPED_TAGS:
            yield element.tail


def chinese_left(content: bytes, runs: Runs) -> list[str]:
    left = []
    for text in page_texts(content):
        for piece in pieces(text):
            if not runs.is_data(piece) and piece not in left:
                left.append(piece)
    return left


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("username", PERSONAS)
def test_english_pages_have_no_chinese_interface_text(urls, walk, db, english, username):  # noqa: F811
    runs = Runs()
    client = login_as(username)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = []
    for name, url, _ in urls:
        if name in SKIPPED_PAGES:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        left = chinese_left(response.content, runs)
        if left:
            found.append(f"{name} {url} as {username}: {' | '.join(left)}")
    assert not found, "Chinese interface text on English pages:\n" + "\n".join(found)
