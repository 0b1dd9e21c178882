"""Backups of the database and the uploaded files, in one archive, and their restore.

An archive is a tar file holding ``manifest.json``, the database (``database.sqlite3``, made
with SQLite's online backup API, or ``database.pgdump``, PostgreSQL's custom format from
``pg_dump``) and ``media/``. The audit chain is in the database, and its key is not: keep the
key (``AUDIT_KEY_FILE``) with the archive's safe, never inside it. The anchor file
(``AUDIT_ANCHOR_FILE``) is not in the archive either: it is the record the chain is checked
against, so it is backed up on its own; a restore appends a ``restore`` line to it, after which
the anchors of the events lost with the restore are no longer checked.

Restore replaces the database and the media folder with the archive's. Stop the web server
and the consumer first (docs/deploy/backup.md); the media folder it replaces is kept beside
it as ``<media>.before-restore-<time>``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tuijin.core.chain import head, mark_restore, seal_audit_chain
from tuijin.core.models import AuditEvent

FORMAT = 1
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


def pg_environment(database: dict) -> dict:
    """libpq's variables for pg_dump / pg_restore: no password on a command line."""
    env = dict(os.environ)
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(key):
            env[variable] = str(database[key])
    return env


def run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败:{result.stderr.strip()[-500:]}")


def dump_database(alias: str, folder: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_NAME)
        try:
            connection.connection.backup(target)  # consistent while others write
        finally:
            target.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        env = pg_environment(connection.settings_dict)
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={folder / PG_NAME}"], env)
        return PG_NAME
    raise BackupError(f"不支持的数据库:{connection.vendor}")


def load_database(alias: str, path: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops tables: hold no lock on them
    env = pg_environment(connection.settings_dict)
    run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
         f"--dbname={env['PGDATABASE']}", str(path)], env)  # fmt: skip


def manifest(alias: str) -> dict:
    seq, hash_ = head(alias)
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connections[alias].vendor,
        "migrations": MigrationRecorder(connections[alias]).migration_qs.count(),
        "audit_events": AuditEvent.objects.using(alias).count(),
        "audit_head": hash_,
        "audit_seq": seq,
    }


def back_up(target: Path, alias: str = "default") -> dict:
    """Write one archive of the database and the media folder; returns its manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    seal_audit_chain(alias)  # the archive's chain as far as it can be sealed
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        folder = Path(work)
        info = manifest(alias) | {"database_file": dump_database(alias, folder)}
        (folder / "manifest.json").write_text(json.dumps(info, ensure_ascii=False, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(folder / "manifest.json", "manifest.json")
            archive.add(folder / info["database_file"], info["database_file"])
            if media.exists():
                archive.add(media, "media")
        partial.rename(target)  # a half-written archive never carries the final name
    return info


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        info = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("这不是推进的备份文件(缺少 manifest.json)。") from exc
    if info.get("format") != FORMAT:
        raise BackupError(f"备份格式 {info.get('format')} 不受支持。")
    return info


def extract(archive: tarfile.TarFile, folder: str) -> None:
    """Unpack with no absolute paths, links out of the folder or devices.

    tarfile's "data" filter does that from Python 3.11.4 on. Debian 12's python3 (3.11.2, the one
    docs/deploy names) has no filters: there every member is checked first (a backup holds only
    files and folders under relative names) and the same mode bits are cleared.
    """
    if hasattr(tarfile, "data_filter"):
        archive.extractall(folder, filter="data")
        return
    members = archive.getmembers()
    for member in members:
        if (
            not (member.isfile() or member.isdir())
            or member.name.startswith("/")
            or ".." in Path(member.name).parts
        ):
            raise BackupError(f"备份文件中有不允许的条目:{member.name}")
        member.mode &= 0o755  # no setuid/setgid/sticky, no group or other write
    archive.extractall(folder, members)


def restore(source: Path, alias: str = "default") -> dict:
    """Replace the database and the media folder with the archive's; returns its manifest."""
    if not source.is_file():
        raise BackupError(f"找不到备份文件:{source}")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the media folder: the move into place is a rename, not a copy.
    with (
        tarfile.open(source, "r") as archive,
        tempfile.TemporaryDirectory(dir=media.parent) as work,
    ):
        info = read_manifest(archive)
        vendor = connections[alias].vendor
        if info["database"] != vendor:
            raise BackupError(f"备份来自 {info['database']} 数据库,当前是 {vendor},不能直接恢复。")
        extract(archive, work)
        load_database(alias, Path(work) / info["database_file"])
        mark_restore(alias)
        if media.exists():
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            media.rename(media.with_name(f"{media.name}.before-restore-{stamp}"))
        restored = Path(work) / "media"
        if restored.exists():
            shutil.move(restored, media)
        else:
            media.mkdir(parents=True)
    return info
