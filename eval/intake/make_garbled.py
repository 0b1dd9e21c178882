"""Write a synthetic garbled copy of a real text with the corruptions found in the source report.

    .venv/bin/python eval/intake/make_garbled.py

Reads texts/01-weinan-gaoxinqu-2023.txt and writes texts/15-weinan-synthetic-garbled.txt:
traditional characters (OpenCC s2t), pinyin after some characters ("區(qū)"), doubled commas
(",," ",、" ",。"), one run of GBK read one byte off with its first byte lost ("?"), as in the
report, and one run of UTF-8 read as GB18030. Seeded, so the output is always the same.
"""

import random
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

HERE = Path(__file__).parent / "texts"
SOURCE = HERE / "01-weinan-gaoxinqu-2023.txt"
TARGET = HERE / "15-weinan-synthetic-garbled.txt"
ANNOTATED = set("區發業續態環鎮鄉監優項")


def garble(text: str, rng: random.Random) -> str:
    text = opencc.OpenCC("s2t").convert(text)
    text = "".join(
        f"{c}({pinyin(c, style=Style.TONE)[0][0]})" if c in ANNOTATED and rng.random() < 0.7 else c
        for c in text
    )
    out = []
    for c in text:
        if (c in ",、" and rng.random() < 0.5) or (c == "。" and rng.random() < 0.4):
            out.append(",")
        out.append(c)
    text = "".join(out)
    text = shifted_gbk_run(text)
    return utf8_as_gbk_run(text, "主要建設綠色環保新型裝配式建築材料")


def shifted_gbk_run(text: str) -> str:
    """Garble a "。" or "、" and the characters after it the way the report was garbled: GBK bytes, the
    first byte replaced by "?", read one byte off, full-width forms narrowed to ASCII."""
    for start in (i for i, c in enumerate(text) if c in "。、"):
        for end in range(start + 3, start + 8):
            piece = text[start:end]
            try:
                data = piece.encode("gbk")
            except UnicodeEncodeError:
                break
            if len(data) != 2 * len(piece) or not 0x40 <= data[-1] <= 0x7E:
                continue
            try:
                shifted = data[1:-1].decode("gbk") + chr(data[-1])
            except UnicodeDecodeError:
                continue
            narrowed = "".join(
                chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in shifted
            )
            return text[:start] + "?" + narrowed + text[end:]
    raise ValueError("no run to garble")


def utf8_as_gbk_run(text: str, clause: str) -> str:
    garbled = clause.encode("utf-8").decode("gb18030", errors="replace")
    return text.replace(clause, garbled, 1)


if __name__ == "__main__":
    TARGET.write_text(garble(SOURCE.read_text(encoding="utf-8"), random.Random(2022)), "utf-8")
    print(f"wrote {TARGET}")
