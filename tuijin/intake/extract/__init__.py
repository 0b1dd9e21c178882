"""Propose records from a repaired text (DESIGN §5): parks and places, projects with their park
and construction content, enterprises, people with titles, dates, deadlines and problems.

Rules, not a model: regular expressions, the word lists in ``data/`` and jieba's segmentation
(its dictionary ships in the package) to find where a name starts. Every list keeps the order
of first appearance without repeats. A person confirms each proposal on the intake page.

- ``mentions``: what is proposed (``ProjectMention``, ``PersonMention``, ``Extraction``).
- ``text``: sentences and clauses, jieba and the word lists, ``_name_start`` (where a name
  that ends at a head word begins) and lists of names separated by 、.
- ``places``, ``projects``, ``enterprises``, ``people``, ``dates`` (dates and deadlines,
  ``resolve_deadline``), ``problems``: one kind of proposal each.
"""

from __future__ import annotations

import datetime

from tuijin.intake.extract.dates import _DEADLINE, _dates, resolve_deadline
from tuijin.intake.extract.enterprises import _enterprises
from tuijin.intake.extract.mentions import Extraction, PersonMention, ProjectMention
from tuijin.intake.extract.people import _people_in, _unpadded
from tuijin.intake.extract.places import _parks
from tuijin.intake.extract.problems import _problems
from tuijin.intake.extract.projects import _projects
from tuijin.intake.extract.text import _sentences, _unique

__all__ = ["Extraction", "PersonMention", "ProjectMention", "extract", "resolve_deadline"]


def _collective(title: str | None) -> bool:
    """A title shared by a group ("县领导", "市领导"): a later, particular one replaces it."""
    return bool(title) and title.endswith("领导")


def extract(text: str, reference_date: datetime.date | None = None) -> Extraction:
    people: dict[str, PersonMention] = {}
    sentences = []  # with each person's title and name blanked out, so no other name spans them
    for sentence in _sentences(_unpadded(text)):  # "县委书记王  强": a name padded to three
        masked = list(sentence)
        for start, end, person in _people_in(sentence):
            masked[start:end] = "，" * (end - start)
            known = people.setdefault(person.name, person)
            if not known.title or (_collective(known.title) and not _collective(person.title)):
                known.title = person.title or known.title  # "县领导", then "县委书记郭德志"
        sentences.append("".join(masked))
    for name in list(people):  # "王增" where "王增锹" is named too: the same person cut short
        if any(other != name and other.startswith(name) for other in people):
            del people[name]
    projects = _projects(sentences)
    parks = [p for p in _unique(_parks(sentences)) if not any(p in j.name for j in projects)]
    deadlines = _unique(m.group() for m in _DEADLINE.finditer(text))
    return Extraction(
        parks=parks,
        projects=projects,
        enterprises=_unique(_enterprises(sentences)),
        people=list(people.values()),
        dates=_unique(_dates(text)),
        deadlines=deadlines,
        problems=_unique(_problems(sentences)),
        resolved_deadlines=[(d, resolve_deadline(d, reference_date)) for d in deadlines],
    )
