"""``manage.py intake``: JSON and summary output, standard input, and clear errors."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "eval" / "intake" / "texts" / "00-suizhou-2022.txt"
EXPECTED = (Path(__file__).parent / "data" / "suizhou-2022-simplified.txt").read_text(
    encoding="utf-8"
)
KEYS = ["text", "parks", "projects", "enterprises", "people", "dates", "deadlines", "problems"]


def run(*args: str, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    options = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    call_command("intake", *args, stdout=out, **options)
    return out.getvalue()


def manage(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    # As a shell would run it, on a server with its keys named (checks tuijin.E001, E002).
    env = {**os.environ, "PYTHONIOENCODING": "", "SECRET_KEY": "intake-command-test-key"}
    env["AUDIT_KEY"] = "intake-command-test-audit-key"
    return subprocess.run(
        [sys.executable, "manage.py", "intake", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


class TestCallCommand:
    def test_json_has_the_repaired_text_and_the_proposals(self):
        data = json.loads(run(str(SEED), "--json"))
        assert list(data) == KEYS
        assert data["text"] == EXPECTED
        assert len(data["projects"]) == 21
        assert {"name": "郭晓东", "title": "随州高新区党工委书记、管委会主任"} in data["people"]
        assert "三天后" in data["deadlines"]

    def test_json_keeps_chinese_readable(self):
        assert "青春化工园" in run(str(SEED), "--json")

    def test_it_reads_standard_input(self):
        data = json.loads(run("-", "--json", stdin="高新区管委会副主任朱西胜说。".encode("gbk")))
        assert data["people"] == [{"name": "朱西胜", "title": "高新区管委会副主任"}]

    def test_the_summary_is_in_chinese_and_resolves_deadlines(self):
        out = run(str(SEED), "--date", "2022-11-21")
        assert "项目（21）" in out
        assert "三天后 → 2022-11-24" in out
        assert "乱码还原 3" in out

    def test_a_missing_file_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="找不到文件"):
            run(str(tmp_path / "nope.txt"))

    def test_binary_input_is_a_clear_error(self, tmp_path):
        path = tmp_path / "photo.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
        with pytest.raises(CommandError, match="不是文本文件"):
            run(str(path))

    def test_empty_input_is_a_clear_error(self):
        with pytest.raises(CommandError, match="文本为空"):
            run("-", stdin=b"")

    def test_too_large_input_is_a_clear_error(self, monkeypatch):
        monkeypatch.setattr("tuijin.intake.management.commands.intake.MAX_INPUT_BYTES", 10)
        with pytest.raises(CommandError, match="文本过大"):
            run("-", stdin="高新区推进重点项目建设".encode())

    def test_a_bad_date_is_a_clear_error(self):
        with pytest.raises(CommandError, match="日期格式应为"):
            run(str(SEED), "--date", "2022-13-01")


@pytest.mark.slow  # runs manage.py intake in a process
class TestProcess:
    def test_it_prints_json_from_standard_input(self):
        done = manage("-", "--json", stdin=SEED.read_bytes())
        assert done.returncode == 0, done.stderr.decode()
        data = json.loads(done.stdout.decode("utf-8"))
        assert data["text"] == EXPECTED
        assert done.stderr == b""  # jieba's "Building prefix dict" is silenced

    def test_binary_junk_ends_with_a_message_not_a_traceback(self):
        junk = bytes((i * 7919 + 13) % 256 for i in range(4096))
        done = manage("-", "--json", stdin=junk)
        stderr = done.stderr.decode("utf-8")
        assert done.returncode != 0
        assert "不是文本文件" in stderr
        assert "Traceback" not in stderr
        assert done.stdout == b""
