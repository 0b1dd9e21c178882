"""Match names found in a text to records the user can see: parks, projects, enterprises.

Names in news copy are short forms of ledger names ("犇星二期" for "犇星二期年产3万吨新能源电解液",
"正丹化学公司" for "正丹化学(随州)有限公司"), so a match is either containment of one
normalised name in the other or a close ``difflib.SequenceMatcher`` ratio. Candidates come only
from the model's ``visible_to(user)``: a record the user may not see is never proposed.
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from tuijin.org.access import zone_units
from tuijin.org.models import Unit, UnitKind
from tuijin.projects.models import Enterprise, Project

# Below this score a name is not the same record (a new one is proposed instead).
MATCH_THRESHOLD = 0.75
# Containment counts only for names at least this long (two characters match too much).
MIN_CONTAINED = 3
# A project in another park than the text says is less likely to be the one meant.
OTHER_PARK_FACTOR = 0.9

_PUNCTUATION = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()()\[\]【】,,、。.;;::!!??·•_\-—]+")
_PROJECT_SUFFIXES = ("一体化项目", "建设项目", "项目")
_ENTERPRISE_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "公司",
    "集团",
)
_REGION_PREFIXES = ("湖北省", "湖北", "随州市", "随州")
_BRACKETED_PLACE = re.compile(r"[((][^()()]{1,6}[))]")


@dataclass(frozen=True)
class Match:
    """An existing record a proposed one corresponds to, with how sure we are (0–1)."""

    pk: int
    name: str
    score: float
    url: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _plain(text: str) -> str:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def normalize_project(name: str) -> str:
    """犇星二期年产3万吨新能源电解液项目 → 犇星二期年产3万吨新能源电解液."""
    text = _plain(name)
    for suffix in _PROJECT_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def normalize_enterprise(name: str) -> str:
    """湖北犇星新能源材料有限公司 → 犇星新能源材料; 正丹化学(随州)有限公司 → 正丹化学."""
    text = _plain(_BRACKETED_PLACE.sub("", unicodedata.normalize("NFKC", name or "")))
    for prefix in _REGION_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix) :]
            break
    for suffix in _ENTERPRISE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def similarity(a: str, b: str) -> float:
    """Score of two normalised names: 1 when equal, high when one contains the other."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long = sorted((a, b), key=len)
    if len(short) >= MIN_CONTAINED and short in long:
        # Contained: always a match, surer the more of the longer name it covers.
        return max(ratio, MATCH_THRESHOLD + (1 - MATCH_THRESHOLD) * len(short) / len(long))
    return ratio


def _best(key: str, candidates, factor=lambda extra: 1.0) -> tuple[float, tuple] | None:
    """The best (score, candidate) of (pk, name, normalised name, extra) tuples, or None."""
    if not key:
        return None
    best = None
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)  # the key is compared with every candidate: cache it
    for candidate in candidates:
        norm = candidate[2]
        if not norm:
            continue
        short, long = sorted((key, norm), key=len)
        contained = len(short) >= MIN_CONTAINED and short in long
        if not contained and norm != key:
            matcher.set_seq1(norm)
            # Cheap upper bounds first: most candidates are nowhere near.
            if matcher.real_quick_ratio() < MATCH_THRESHOLD * 0.9:
                continue
            if matcher.quick_ratio() < MATCH_THRESHOLD * 0.9:
                continue
        score = similarity(key, norm) * factor(candidate[3])
        if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
            best = (score, candidate)
    return best


def _match(best, url_name: str) -> Match | None:
    if best is None:
        return None
    from django.urls import reverse

    score, (pk, name, _norm, _extra) = best
    return Match(pk=pk, name=name, score=min(score, 1.0), url=reverse(url_name, args=[pk]))


# --- parks ------------------------------------------------------------------------------------


def zone_parks(user):
    """The parks a text may name: those of the user's zone (every park for an admin)."""
    return zone_units(user).filter(kind=UnitKind.PARK)


def _park_prefixes(parks) -> list[str]:
    """随州高新区 → 随州高新区, 随州, 高新区: prefixes news copy puts before a park's name."""
    prefixes = {"高新区", "开发区", "经开区"}
    zones = Unit.objects.filter(kind=UnitKind.ZONE)
    for zone in zones:
        for name in (zone.name, zone.short_name):
            if name:
                prefixes.add(name)
                for kind in ("高新技术产业开发区", "经济技术开发区", "高新区", "开发区", "经开区"):
                    if name.endswith(kind) and len(name) > len(kind):
                        prefixes.add(name[: -len(kind)])
    prefixes.update(_REGION_PREFIXES)
    return sorted(prefixes, key=len, reverse=True)


def normalize_park(name: str, prefixes: list[str]) -> str:
    text = _plain(name)
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                text, changed = text[len(prefix) :], True
    return text.removesuffix("区") if text.endswith("园区") else text


def match_parks(user, names: list[str]) -> dict[str, Unit | None]:
    """Each park name of the text → an existing park unit, or None."""
    parks = list(zone_parks(user))
    prefixes = _park_prefixes(parks)
    candidates = []
    for park in parks:
        for label in {park.name, park.short_name} - {""}:
            candidates.append((park.pk, park.name, normalize_park(label, prefixes), park))
    result = {}
    for name in names:
        best = _best(normalize_park(name, prefixes), candidates)
        result[name] = best[1][3] if best else None
    return result


# --- projects and enterprises -----------------------------------------------------------------


def project_candidates(user) -> list[tuple]:
    rows = Project.objects.visible_to(user).values_list("pk", "name", "park_id")
    return [(pk, name, normalize_project(name), park_id) for pk, name, park_id in rows]


def enterprise_candidates(user) -> list[tuple]:
    rows = Enterprise.objects.visible_to(user).values_list("pk", "name")
    return [(pk, name, normalize_enterprise(name), None) for pk, name in rows]


def match_project(name: str, park: Unit | None, candidates) -> Match | None:
    """The visible project `name` most likely means; one in another park scores a little less."""

    def factor(park_id):
        return 1.0 if park is None or park_id == park.pk else OTHER_PARK_FACTOR

    return _match(_best(normalize_project(name), candidates, factor), "projects:project_detail")


def match_enterprise(name: str, candidates) -> Match | None:
    return _match(_best(normalize_enterprise(name), candidates), "projects:enterprise_detail")


# --- problems and 督办 items --------------------------------------------------------------------

# A problem told again in other words ("能耗指标不足" / "能耗指标不足,影响二期设备安装") is the
# same problem: one description contained in the other, or this close.
PROBLEM_THRESHOLD = 0.6


def match_text(text: str, records) -> tuple[object, float] | None:
    """The record among ``records`` (each with ``text_for_match``) whose words are closest to
    ``text``, with its score; None below ``PROBLEM_THRESHOLD``."""
    key = _plain(text)
    best = None
    for record in records:
        score = similarity(key, _plain(record.text_for_match))
        if score >= PROBLEM_THRESHOLD and (best is None or score > best[1]):
            best = (record, score)
    return best


def open_problems(user, *, project=None, enterprise=None) -> list:
    """The subject's problems not yet resolved or reported up, that the user can see."""
    from tuijin.supervision.models import Problem

    done = [Problem.Status.RESOLVED, Problem.Status.REPORTED_UP]
    problems = Problem.objects.visible_to(user).exclude(status__in=done)
    if project is not None:
        problems = problems.filter(project=project)
    elif enterprise is not None:
        problems = problems.filter(enterprise=enterprise)
    else:
        return []
    found = list(problems.order_by("-raised_at"))
    for problem in found:
        problem.text_for_match = problem.description
    return found


def match_problem(user, text: str, *, project=None, enterprise=None) -> Match | None:
    """An open problem of the same project (or enterprise) that ``text`` tells again."""
    best = match_text(text, open_problems(user, project=project, enterprise=enterprise))
    if best is None:
        return None
    problem, score = best
    return Match(problem.pk, problem.description[:60], min(score, 1.0), problem.get_absolute_url())


def match_item(user, texts, project, deadline) -> Match | None:
    """An open 督办 item on the project with the same deadline whose title, 成效标准 or
    requirement says what one of ``texts`` says: the same directive read again (another copy
    of the same report, or the same preview confirmed twice)."""
    from tuijin.supervision.models import OPEN_STATES, SupervisionItem

    if project is None or deadline is None:
        return None
    keys = [_plain(text) for text in texts if text]
    best = None
    for item in SupervisionItem.objects.visible_to(user).filter(
        project=project, original_deadline=deadline, state__in=OPEN_STATES
    ):
        fields = [_plain(item.title), _plain(item.result_standard), _plain(item.requirement)]
        score = max((similarity(k, f) for k in keys for f in fields), default=0.0)
        if score >= PROBLEM_THRESHOLD and (best is None or score > best[1]):
            best = (item, score)
    if best is None:
        return None
    item, score = best
    return Match(item.pk, item.title, min(score, 1.0), item.get_absolute_url())
