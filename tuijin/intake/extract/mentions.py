"""What extraction proposes; a person confirms each proposal on the intake page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# A proposal at or above this confidence is listed as a project; below it, apart as 可能的项目.
CONFIDENT = 0.6


@dataclass
class ProjectMention:
    """A proposed project; ``reason`` says which cue proposed it ("列举于“青春化工园,…等项目”",
    "含产能“年产3万吨”"), ``confidence`` how far that cue is trusted (0–1), ``aliases`` the
    other spellings of it in the text ("高发智能制造产业园项目" beside its long form)."""

    name: str
    park: str | None
    content: str | None
    reason: str = ""
    confidence: float = 1.0
    aliases: list[str] = field(default_factory=list)

    @property
    def likely(self) -> bool:
        return self.confidence >= CONFIDENT


@dataclass
class PersonMention:
    name: str
    title: str | None


@dataclass
class Extraction:
    parks: list[str]
    projects: list[ProjectMention]
    enterprises: list[str]
    people: list[PersonMention]
    dates: list[str]
    deadlines: list[str]
    problems: list[str]
    resolved_deadlines: list[tuple[str, datetime.date | None]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "parks": list(self.parks),
            "projects": [
                {
                    "name": p.name,
                    "park": p.park,
                    "content": p.content,
                    "reason": p.reason,
                    "confidence": p.confidence,
                    "aliases": list(p.aliases),
                }
                for p in self.projects
            ],
            "enterprises": list(self.enterprises),
            "people": [{"name": p.name, "title": p.title} for p in self.people],
            "dates": list(self.dates),
            "deadlines": list(self.deadlines),
            "problems": list(self.problems),
        }
