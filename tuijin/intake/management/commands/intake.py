"""Repair and read a text from the command line (DESIGN §5).

    manage.py intake report.txt            # a short summary in Chinese
    manage.py intake - --json < report.txt # the repaired text and what it names, as JSON
    manage.py intake report.txt --date 2022-11-21

Bad input (no such file, binary data, an empty or too large text) ends with a one-line Chinese
message and exit status 1, never a traceback.
"""

import argparse
import datetime
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError

from tuijin.intake.extract import Extraction, extract
from tuijin.intake.repair import LABELS, MAX_INPUT_BYTES, IntakeError, Repaired, repair

TOO_LARGE = "文本过大，上限为 20 MB。"


def reference_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "修复一段文本（乱码、拼音注音、重复标点、繁体），并列出其中的园区、项目、企业、人员、日期、期限和问题。"
    requires_system_checks: list[str] = []  # reads a file; needs no database or URLs
    stealth_options = ("stdin",)  # a binary stream instead of sys.stdin.buffer, for tests

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", help="文本文件路径；“-”表示从标准输入读取")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--date", type=reference_date, help="参考日期 YYYY-MM-DD，用于推算期限")

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_input(options["path"], options.get("stdin"))
        try:
            repaired = repair(data)
        except IntakeError as error:
            raise CommandError(str(error)) from None
        found = extract(repaired.text, reference_date=options["date"])
        if (reconfigure := getattr(self.stdout, "reconfigure", None)) is not None:
            reconfigure(encoding="utf-8")  # a C locale must not turn Chinese into an error
        if options["json"]:
            payload = {"text": repaired.text, **found.as_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(repaired, found))


def read_input(path: str, stdin: BinaryIO | None = None) -> bytes:
    if path == "-":
        stream = stdin or sys.stdin.buffer
        data = stream.read(MAX_INPUT_BYTES + 1)
    else:
        file = Path(path)
        try:
            if not file.is_file():
                raise CommandError(f"找不到文件：{path}")
            if file.stat().st_size > MAX_INPUT_BYTES:
                raise CommandError(TOO_LARGE)
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise CommandError(TOO_LARGE)
    return data


def summary(repaired: Repaired, found: Extraction) -> str:
    counts = Counter(change.label for change in repaired.changes)
    kinds = "、".join(f"{label} {n}" for label, n in sorted(counts.items(), key=_by_kind))
    lines = [
        f"编码：{repaired.encoding}；修复 {len(repaired.changes)} 处"
        + (f"（{kinds}）" if kinds else "")
    ]
    lines.append(_line("园区", found.parks))
    lines.append(f"项目（{len(found.projects)}）：")
    for project in found.projects:
        park = f"［{project.park}］" if project.park else ""
        content = f" 建设内容：{project.content}" if project.content else ""
        lines.append(f"  - {project.name}{park}{content}")
    lines.append(_line("企业", found.enterprises))
    people = [f"{p.name}（{p.title}）" if p.title else p.name for p in found.people]
    lines.append(_line("人员", people))
    lines.append(_line("日期", found.dates))
    deadlines = [
        f"{text} → {day.isoformat()}" if day else text for text, day in found.resolved_deadlines
    ]
    lines.append(_line("期限", deadlines))
    lines.append(_line("问题", found.problems))
    return "\n".join(lines)


def _by_kind(item: tuple[str, int]) -> int:
    order = list(LABELS.values())
    return order.index(item[0]) if item[0] in order else len(order)


def _line(label: str, items: list[str]) -> str:
    return f"{label}（{len(items)}）：" + ("、".join(items) if items else "无")
