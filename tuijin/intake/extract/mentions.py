"""What extraction proposes; a person confirms each proposal on the intake page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ProjectMention:
    name: str
    park: str | None
    content: str | None


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
                {"name": p.name, "park": p.park, "content": p.content} for p in self.projects
            ],
            "enterprises": list(self.enterprises),
            "people": [{"name": p.name, "title": p.title} for p in self.people],
            "dates": list(self.dates),
            "deadlines": list(self.deadlines),
            "problems": list(self.problems),
        }
