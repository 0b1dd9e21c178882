"""Light reasons are stored as a sentence and its values and put into the reader's language
when shown (L11 part 13): the ledger in English does not read 计划2026年9月开工."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from tuijin.projects.lights import Facts, Thresholds, project_light
from tuijin.projects.models import Stage
from tuijin.projects.reasons import reason_text

D = dt.date


NO_STALE = Thresholds(stale_periods=0)


def stored_reasons(facts, as_of):
    return [r.as_dict() for r in project_light(facts, as_of, NO_STALE)[1]]


def test_a_reason_reads_in_chinese_and_in_english():
    facts = Facts(
        stage=Stage.PREPARING,
        planned_start=D(2026, 9, 15),
        annual_plan=Decimal(12000),
        completed_this_year=Decimal(1000),
        open_deadlines=[("环评批复", D(2026, 10, 1))],
    )
    reasons = stored_reasons(facts, D(2026, 11, 20))
    with translation.override("zh-hans"):
        chinese = [reason_text(r) for r in reasons]
    with translation.override("en"):
        english = [reason_text(r) for r in reasons]
    assert "计划2026年9月开工,已延迟2个月未开工" in chinese
    assert chinese == [r["text"] for r in reasons]  # the stored Chinese sentence is the same
    assert any("Sep 2026" in text for text in english), english
    assert any("1 Oct 2026" in text and "环评批复" in text for text in english), english
    cjk = [t for t in english if any("\u4e00" <= c <= "\u9fff" for c in t.replace("环评批复", ""))]
    assert not cjk, cjk


def test_a_reason_stored_before_l11_keeps_its_text():
    assert reason_text({"light": "red", "rule": "start", "text": "计划开工"}) == "计划开工"
