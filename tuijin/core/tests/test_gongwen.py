"""GB/T 9704 documents: full-width punctuation in Chinese text, titles broken between words."""

import pytest
from docx.oxml.ns import qn

from tuijin.core.gongwen import (
    TITLE_MAX_WIDTH,
    Gongwen,
    full_width,
    repeat_header,
    title_lines,
    width,
)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("会议指出,要压实责任;倒排工期!", "会议指出，要压实责任；倒排工期！"),
        ("时间:下周六", "时间：下周六"),
        ("是否完成?", "是否完成？"),
        ("犇星项目(二期)", "犇星项目（二期）"),
        ("项目(2026)开工", "项目（2026）开工"),  # a pair converts together
        ("(A区)完成清表", "（A区）完成清表"),
        ('树立"今天再晚也是早"的理念', "树立“今天再晚也是早”的理念"),
        ("完成, 下周汇报", "完成，下周汇报"),  # the space after goes
        # Numbers, times, Latin text and links keep theirs.
        ("9:30前到岗", "9:30前到岗"),
        ("投资1,000万元", "投资1,000万元"),
        ("see (A), then B; ok?", "see (A), then B; ok?"),
        ("链接http://example.cn/a", "链接http://example.cn/a"),
        ("", ""),
    ],
)
def test_full_width_punctuation_in_chinese_text(typed, printed):
    assert full_width(typed) == printed


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("招商引资项目研讨会纪要", ["招商引资项目研讨会纪要"]),
        (
            "11月14日周六现场办公会（城东产业园）纪要",
            ["11月14日周六现场办公会", "（城东产业园）纪要"],
        ),
        (
            "关于加快推进城东产业园人才公寓和文帝学校配套道路建设有关问题的会议纪要",
            ["关于加快推进城东产业园人才公寓和", "文帝学校配套道路建设有关问题的会议纪要"],
        ),
    ],
)
def test_titles_break_between_words(title, lines):
    assert title_lines(title) == lines


def test_every_title_line_fits_and_keeps_its_words():
    title = "随州高新区2026年第四季度重点项目建设推进暨营商环境优化工作会议纪要"
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) == 2
    assert all(width(line) <= TITLE_MAX_WIDTH for line in lines)
    assert not any(line.startswith(("）", "会", "局")) or line.endswith("（") for line in lines)


def test_a_heading_stays_with_its_text():
    """一、考核结果 printed alone at the foot of page 1, its table on page 2."""
    doc = Gongwen(title="通报")
    first, second = doc.heading("一、考核结果"), doc.heading("（一）部门", level=2)
    body = doc.text("正文")
    assert first.paragraph_format.keep_with_next and second.paragraph_format.keep_with_next
    assert not body.paragraph_format.keep_with_next


def test_a_long_table_repeats_its_header_and_keeps_rows_whole():
    """Tables in the 周调度通报 (超期督办事项), 考核通报 and 观摩手册 ran onto further pages
    without their header, a row's second line alone at the top of the next page."""
    doc = Gongwen(title="表")
    table = doc.document.add_table(rows=3, cols=2)
    repeat_header(table)
    rows = [row._tr.trPr for row in table.rows]
    assert [r.find(qn("w:tblHeader")) is not None for r in rows] == [True, False, False]
    assert all(r.find(qn("w:cantSplit")) is not None for r in rows)
