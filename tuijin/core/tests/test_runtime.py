"""The runtime as a user starts it: settings from the environment, `serve` starting the
web server and the Huey consumer together, `check --deploy` clean in production mode."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
# The parent's database, queue, browser-test flags and audit key must not leak into a subprocess.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "AUDIT_KEY",
    "AUDIT_KEY_FILE",
}
# So such a subprocess runs the default configuration (SQLite, queue on SQLite) in every run of
# the suite: CI's PostgreSQL + Redis run would repeat the SQLite run's test to the letter.
default_configuration = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs the default configuration in a subprocess: the SQLite run covers it",
)


def clean_env(**extra) -> dict:
    return {k: v for k, v in os.environ.items() if k not in NOT_INHERITED} | extra


def manage(*args, env=None, timeout=120, check=True):
    full_env = clean_env(**(env or {}))
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            *args,
            *(["--no-imports"] if args[0] == "shell" else []),
        ],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        check=False,
        env={
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-of-decent-length-0123",
            "AUDIT_KEY": "y" * 20 + "-audit-chain-key-of-decent-length-0123",
            "ALLOWED_HOSTS": "tuijin.example.cn",
            "TUIJIN_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_secret_key_is_generated_into_var_once(tmp_path):
    env = {"TUIJIN_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "-c", code, env=env).stdout.strip()
    second = manage("shell", "-c", code, env=env).stdout.strip()
    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").read_text().strip() == first


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_production_without_a_named_secret_key_refuses_to_start(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": "", "TUIJIN_VAR_DIR": str(tmp_path)}
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "tuijin.E001" in result.stderr and "SECRET_KEY" in result.stderr
    env["SECRET_KEY_FILE"] = str(tmp_path / "key")
    (tmp_path / "key").write_text("k" * 50)
    # The audit chain's key must be named too (it stays out of the database).
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "tuijin.E002" in result.stderr and "AUDIT_KEY" in result.stderr
    env["AUDIT_KEY_FILE"] = str(tmp_path / "audit_key")
    (tmp_path / "audit_key").write_text("a" * 50)
    assert manage("check", env=env, check=False).returncode == 0


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_malformed_boolean_setting_fails_loudly(tmp_path):
    result = manage("check", env={"DEBUG": "maybe", "TUIJIN_VAR_DIR": str(tmp_path)}, check=False)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_queue_storage_follows_redis_url(tmp_path):
    code = "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
    env = {"TUIJIN_VAR_DIR": str(tmp_path)}
    assert manage("shell", "-c", code, env=env).stdout.strip() == "SqliteHuey"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    assert manage("shell", "-c", code, env=env).stdout.strip() == "RedisHuey"


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
def test_serve_runs_web_and_consumer_and_one_interrupt_stops_both(tmp_path):
    env = {
        "TUIJIN_VAR_DIR": str(tmp_path),
        "HTTPS": "0",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 50,
        "AUDIT_KEY": "a" * 50,
    }
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--addr", f"127.0.0.1:{port}"],
        env=clean_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        body = ""
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert "登录" in body
        # A task enqueued from another process is executed by the consumer `serve` started.
        code = (
            "from tuijin.core.tasks import verify_audit_chain; "
            "print(verify_audit_chain().get(blocking=True, timeout=30))"
        )
        result = manage("shell", "-c", code, env=env)
        assert "'checked': 0" in result.stdout
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "已停止" in out
    assert f"http://127.0.0.1:{port}/" in out and "leader" in out


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # the field after the name: ppid
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow  # starts manage.py in a process
@default_configuration
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_serve_sent_sigterm_alone_stops_the_web_server_and_the_consumer_too(tmp_path):
    env = {"TUIJIN_VAR_DIR": str(tmp_path), "HTTPS": "0", "DEBUG": "1", "AUDIT_KEY": "a" * 50}
    port, log = free_port(), tmp_path / "serve.log"
    # Output to a file, not a pipe: children left running would hold a pipe open.
    with log.open("w") as output:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "serve", "--addr", f"127.0.0.1:{port}"],
            env=clean_env(**env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    children = []
    try:
        for _ in range(240):  # both children started and the web server listening
            children = children_of(proc.pid)
            with socket.socket() as s:
                if len(children) == 2 and s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.25)
        assert len(children) == 2
        os.kill(proc.pid, signal.SIGTERM)  # to `serve` only, as `kill` or systemd would
        proc.wait(timeout=30)
        left = [pid for pid in children if running(pid)]
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of its group
            os.killpg(proc.pid, signal.SIGKILL)
    out = log.read_text()
    assert proc.returncode == 0 and "已停止" in out, out
    assert left == [], "still running without `serve`"


def test_english_catalog_is_compiled():
    with translation.override("en"):
        assert translation.gettext("组织机构") == "Organisation"
    with translation.override("zh-hans"):
        assert translation.gettext("组织机构") == "组织机构"


@override_settings(LANGUAGE_CODE="zh-hans")
def test_language_switch_changes_the_navigation(leader):
    assert "组织机构" in leader.get("/").content.decode()
    leader.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Organisation" in leader.get("/").content.decode()
