"""Evaluate the intake engine on the labelled texts in eval/intake/ (texts/, heldout/, … unseen10/).

    .venv/bin/python eval/intake/evaluate.py [--no-timing] [--show]

For each ``NN-name.txt`` with ``NN-name.labels.json``: repair the bytes, extract, and compare
projects and people with the hand labels. Prints a Markdown table per text and the micro-averaged
totals, then times repair and extraction on the source report repeated to 5 MB.

Matching rule for project names, after normalising (whitespace removed, full-width brackets made
ASCII): equal, or one contains the other and the shorter is at least half as long. A label may
list alternative names for one project (["恒安内坑…项目(二期)", "恒安项目"]). Each label is
matched at most once; a second prediction for the same label counts as a false positive.
People are matched by exact name; the title column counts exact titles among matched people
whose label has a title.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# Extraction reads no database, but "N个工作日" asks the 督办 calendar, which lives in an app.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuijin.settings")
django.setup()

from tuijin.intake.extract import extract  # noqa: E402  (after the path is set)
from tuijin.intake.extract.mentions import CONFIDENT  # noqa: E402
from tuijin.intake.extract.text import _tokens  # noqa: E402
from tuijin.intake.repair import repair  # noqa: E402

HERE = Path(__file__).parent
TEXTS = HERE / "texts"  # looked at while the rules were written
HELD_OUT = HERE / "heldout"  # labelled before its first run (figures in README.md)
HELD_OUT_2 = HERE / "heldout2"  # I18: labelled before its first run, then written on
UNSEEN = HERE / "unseen"  # I18: labelled before its first run; its misses studied once
UNSEEN_2 = HERE / "unseen2"  # I18, second batch: labelled before its first run; studied in round 3
UNSEEN_3 = HERE / "unseen3"  # I18, third batch: labelled before its first run; studied after it
UNSEEN_4 = HERE / "unseen4"  # I18, fourth batch: labelled before its first run; studied after it
UNSEEN_5 = HERE / "unseen5"  # I18, fifth batch: labelled before its first run; studied in round 4
UNSEEN_6 = HERE / "unseen6"  # I18, sixth batch: labelled before its first run; studied in round 5
UNSEEN_7 = HERE / "unseen7"  # I18, seventh batch: labelled before its first run; studied in round 6
UNSEEN_8 = HERE / "unseen8"  # I18, eighth batch: labelled before its first run; studied in round 7
# Each batch below was labelled before its first run; all but the last were studied after it.
UNSEEN_9 = HERE / "unseen9"  # I18, ninth batch: studied in round 10 (session 16)
UNSEEN_10 = HERE / "unseen10"  # I18, tenth batch: studied in round 10
UNSEEN_11 = HERE / "unseen11"  # I18, eleventh batch: studied in round 11
UNSEEN_12 = HERE / "unseen12"  # I18, twelfth batch: studied in round 12
UNSEEN_13 = HERE / "unseen13"  # I18, thirteenth batch (session 16): never written on
SPLITS = (
    *(TEXTS, HELD_OUT, HELD_OUT_2, UNSEEN, UNSEEN_2, UNSEEN_3, UNSEEN_4, UNSEEN_5, UNSEEN_6),
    UNSEEN_7,
    UNSEEN_8,
    UNSEEN_9,
    UNSEEN_10,
    UNSEEN_11,
    UNSEEN_12,
    UNSEEN_13,
)
NEVER_SHOWN = (UNSEEN_13,)  # the honest splits: their misses are not printed
SEED = TEXTS / "00-suizhou-2022.txt"


@dataclass
class Score:
    predicted: int = 0
    labelled: int = 0
    matched: int = 0

    def add(self, other: Score) -> None:
        self.predicted += other.predicted
        self.labelled += other.labelled
        self.matched += other.matched

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.labelled if self.labelled else None


def normalise(name: str) -> str:
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def same_project(predicted: str, label: str) -> bool:
    a, b = normalise(predicted), normalise(label)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return short in long and 2 * len(short) >= len(long)


def score_projects(predicted: list[str], labels: list) -> Score:
    entities = [label if isinstance(label, list) else [label] for label in labels]
    free = set(range(len(entities)))
    matched = 0
    for name in predicted:
        for i in sorted(free):
            if any(same_project(name, alias) for alias in entities[i]):
                free.discard(i)
                matched += 1
                break
    return Score(len(predicted), len(entities), matched)


def score_people(predicted: list[dict], labels: list[dict]) -> tuple[Score, int, int]:
    by_name = {p["name"]: p["title"] for p in predicted}
    matched = [label for label in labels if label["name"] in by_name]
    titled = [label for label in matched if label["title"]]
    exact = sum(by_name[label["name"]] == label["title"] for label in titled)
    return Score(len(predicted), len(labels), len(matched)), exact, len(titled)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def evaluate(folder: Path, show: bool = False) -> tuple[Score, Score]:
    """Print the table of one folder; return the micro-averaged project and people scores.
    ``show`` prints each text's wrong and missed names too (never on NEVER_SHOWN)."""
    projects_total, people_total, possible_total = Score(), Score(), Score()
    titles_exact = titles_total = 0
    print(f"\n{folder.name}/\n")
    print("| text | projects P | projects R | people P | people R | titles exact |")
    print("| --- | --- | --- | --- | --- | --- |")
    for path in sorted(folder.glob("*.txt")):
        labels_path = path.with_suffix(".labels.json")
        if not labels_path.exists():
            continue
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        found = extract(repair(path.read_bytes()).text).as_dict()
        proposed = [p for p in found["projects"] if p["confidence"] >= CONFIDENT]
        projects = score_projects([p["name"] for p in proposed], labels["projects"])
        possible_total.add(
            score_projects([p["name"] for p in found["projects"]], labels["projects"])
        )
        people, exact, titled = score_people(found["people"], labels["people"])
        projects_total.add(projects)
        people_total.add(people)
        titles_exact += exact
        titles_total += titled
        print(
            f"| {path.stem} | {_ratio(projects, 'precision')} | {_ratio(projects, 'recall')} "
            f"| {_ratio(people, 'precision')} | {_ratio(people, 'recall')} | {exact}/{titled} |"
        )
        if show:
            _show(found, labels)
    print(
        f"| **all (micro)** | {_ratio(projects_total, 'precision')} "
        f"| {_ratio(projects_total, 'recall')} | {_ratio(people_total, 'precision')} "
        f"| {_ratio(people_total, 'recall')} | {titles_exact}/{titles_total} |"
    )
    print(
        f"| *with 可能的项目* | {_ratio(possible_total, 'precision')} "
        f"| {_ratio(possible_total, 'recall')} | | | |"
    )
    return projects_total, people_total


def _show(found: dict, labels: dict) -> None:
    entities = [x if isinstance(x, list) else [x] for x in labels["projects"]]
    names = [p["name"] for p in found["projects"] if p["confidence"] >= CONFIDENT]
    possible = [p["name"] for p in found["projects"] if p["confidence"] < CONFIDENT]
    wrong = [n for n in names if not any(same_project(n, a) for e in entities for a in e)]
    missed = [e[0] for e in entities if not any(same_project(n, a) for n in names for a in e)]
    people = {p["name"]: p["title"] for p in found["people"]}
    wanted = {p["name"]: p["title"] for p in labels["people"]}
    print(f"    wrong: {wrong}\n    missed: {missed}\n    possible: {possible}")
    print(f"    people wrong: {[(n, t) for n, t in people.items() if wanted.get(n, 0) != t]}")
    print(f"    people missed: {[n for n in wanted if n not in people]}")


def _ratio(score: Score, which: str) -> str:
    value = getattr(score, which)
    numerator = score.matched
    denominator = score.predicted if which == "precision" else score.labelled
    return f"{percent(value)} ({numerator}/{denominator})"


def time_large_input(megabytes: int = 5) -> None:
    """Wall and CPU seconds for the source report repeated to 5 MB, and the extraction speed on
    the labelled texts with jieba's per-window cache emptied (repeated text flatters it)."""
    seed = SEED.read_bytes()
    data = seed * (megabytes * 1024 * 1024 // len(seed) + 1)
    extract("预热：加载 jieba 词典。")  # jieba's dictionary loads once per process
    clocks = [(time.perf_counter(), time.process_time())]
    repaired = repair(data)
    clocks.append((time.perf_counter(), time.process_time()))
    found = extract(repaired.text)
    clocks.append((time.perf_counter(), time.process_time()))
    (w0, c0), (w1, c1), (w2, c2) = clocks
    print(f"\n{len(data) / 1024 / 1024:.1f} MB, the source report repeated:")
    print(f"- repair:  {w1 - w0:.1f} s wall, {c1 - c0:.1f} s CPU ({len(repaired.changes)} changes)")
    print(f"- extract: {w2 - w1:.1f} s wall, {c2 - c1:.1f} s CPU ({len(found.projects)} projects)")

    paths = [path for folder in SPLITS for path in sorted(folder.glob("*.txt"))]
    texts = [repair(p.read_bytes()).text for p in paths]
    _tokens.cache_clear()
    started = time.process_time()
    for text in texts:
        extract(text)
    rate = sum(map(len, texts)) / (time.process_time() - started)
    seconds = len(repaired.text) / rate
    print(
        f"- extract without repeats: {rate / 1000:.0f}k characters per CPU second, "
        f"about {seconds:.0f} s CPU for {len(repaired.text) / 1e6:.1f} M characters"
    )


if __name__ == "__main__":
    # --show is for studying misses: it leaves out the honest split altogether (not even its
    # totals), so that whoever writes rules never sees how they do on it.
    show = "--show" in sys.argv
    for split in SPLITS:
        if not (show and split in NEVER_SHOWN):
            evaluate(split, show=show)
    if "--no-timing" not in sys.argv:
        time_large_input()
