"""The audit chain: sealing committed events, the key, verification and the daily anchors.

Writers only INSERT events (``tuijin.core.audit``), unsealed, inside their own transaction: no
write path takes a system-wide lock. One sealer at a time (``seal_audit_chain``, run by the
consumer every minute and nudged when a transaction that wrote events commits) takes the
sealer's own lock, reads the committed unsealed events in id order and gives each the next
``seq``, ``prev_hash`` and ``hash = HMAC(key, prev_hash + canonical JSON)``. An event with a
lower id that commits later is sealed in a later batch: the chain's order is ``seq``.

The key (``AUDIT_KEY`` / ``AUDIT_KEY_FILE``) is never in the database, so hashes recomputed
without it do not verify. ``AUDIT_HASH`` picks HMAC-SHA256 or HMAC-SM3 (OpenSSL's SM3).

Anchors: once a day the sealed head (date, seq, hash) is appended to ``AUDIT_ANCHOR_FILE``
(outside the database, opened O_APPEND) and handed to the registered anchor listeners (notify
sends it to the inspectors' inbox). Deleting the newest events, or rewriting the chain even
with the key, no longer matches the last anchor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from tuijin.core.audited import event_payload
from tuijin.core.models import AuditEvent

logger = logging.getLogger(__name__)

ALGORITHMS = {"hmac-sha256": "sha256", "hmac-sm3": "sm3"}
SEAL_LOCK_ID = 7_350_102  # PostgreSQL advisory lock taken by sealers only
SEAL_BATCH = 1000
SEAL_NUDGE_KEY = "tuijin:audit-seal-queued"  # set while a nudged sealer run is queued
RESTORE_MARK = "restore"  # an anchor-file line written by `restore` (see verify_anchors)


# --- Key and hash ----------------------------------------------------------------------------


def audit_key() -> bytes:
    """The chain's key: ``AUDIT_KEY`` (or the file ``AUDIT_KEY_FILE`` names); without one
    (development, tests) a key derived from ``SECRET_KEY`` (check tuijin.W002 / tuijin.E002)."""
    if key := getattr(settings, "AUDIT_KEY", None):
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"tuijin.audit-key", "sha256").digest()


def algorithm() -> str:
    return getattr(settings, "AUDIT_HASH", "hmac-sha256")


def hash_available(name: str) -> bool:
    """Whether this Python's OpenSSL has the digest behind ``name`` (SM3 needs OpenSSL ≥ 1.1.1
    built with it, as Debian's is)."""
    try:
        hashlib.new(ALGORITHMS[name])
    except (KeyError, ValueError):
        return False
    return True


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(prev_hash: str, payload: dict, key: bytes | None = None, name: str | None = None) -> str:
    """``HMAC(key, prev_hash + canonical JSON of the payload)`` in hex."""
    key = audit_key() if key is None else key
    name = name or algorithm()
    return hmac.new(key, prev_hash.encode() + canonical(payload), ALGORITHMS[name]).hexdigest()


# --- Sealing ---------------------------------------------------------------------------------


def _take_sealer_lock(using: str) -> None:
    # Only sealers wait here. SQLite needs nothing more: its IMMEDIATE transactions already
    # let one writer in at a time.
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_ID])


def head(using: str = "default") -> tuple[int, str]:
    """(seq, hash) of the last sealed event; (0, "") for an empty chain."""
    sealed = AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("-seq")
    return sealed.values_list("seq", "hash").first() or (0, "")


def seal_audit_chain(using: str = "default", batch_size: int = SEAL_BATCH) -> int:
    """Chain the committed unsealed events; returns how many were sealed. Each batch is one
    short transaction under the sealer's lock, so writers never wait for it."""
    key, name = audit_key(), algorithm()
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            _take_sealer_lock(using)
            seq, prev_hash = head(using)
            batch = list(
                AuditEvent.objects.using(using).filter(seq__isnull=True).order_by("id")[:batch_size]
            )
            for event in batch:
                seq += 1
                event.seq, event.prev_hash = seq, prev_hash
                event.hash = prev_hash = digest(prev_hash, event_payload(event), key, name)
            AuditEvent.objects.using(using).bulk_update(batch, ["seq", "prev_hash", "hash"])
        sealed += len(batch)
        if len(batch) < batch_size:
            return sealed


# --- Verifying -------------------------------------------------------------------------------


def verify_chain(batch_size: int = 2000, using: str = "default"):
    """Walk the sealed chain in ``seq`` order. Returns (events checked, first broken event or
    None): a broken event is one whose seq does not follow the one before (a deleted event),
    whose ``prev_hash`` is not the hash before it, or whose hash does not verify with the key."""
    key, name = audit_key(), algorithm()
    prev_hash, checked = "", 0
    sealed = AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("seq")
    for event in sealed.iterator(chunk_size=batch_size):
        if (
            event.seq != checked + 1
            or event.prev_hash != prev_hash
            or not hmac.compare_digest(
                event.hash, digest(prev_hash, event_payload(event), key, name)
            )
        ):
            return checked, event
        prev_hash = event.hash
        checked += 1
    return checked, None


def stale_unsealed(using: str = "default"):
    """Events still unsealed after ``AUDIT_SEAL_GRACE_SECONDS``: the sealer is not running (or
    cannot), so they are outside the chain's protection."""
    grace = dt.timedelta(seconds=getattr(settings, "AUDIT_SEAL_GRACE_SECONDS", 300))
    return AuditEvent.objects.using(using).filter(
        seq__isnull=True, created_at__lt=timezone.now() - grace
    )


# --- Anchors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    at: str  # ISO time it was taken
    seq: int
    hash: str


_anchor_listeners: list[Callable[[Anchor], None]] = []


def register_anchor_listener(listener: Callable[[Anchor], None]) -> None:
    """Called with each day's anchor (an app above core sends it on: notify to the inbox)."""
    if listener not in _anchor_listeners:
        _anchor_listeners.append(listener)


def anchor_file() -> Path | None:
    path = getattr(settings, "AUDIT_ANCHOR_FILE", "")
    return Path(path) if path else None


def _append_line(line: str) -> None:
    path = anchor_file()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each line goes at the end whatever the file's offset; nothing is rewritten.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_anchor(using: str = "default") -> Anchor | None:
    """Seal, then append the head (time, seq, hash) to the anchor file and hand it to the
    listeners. None for an empty chain."""
    seal_audit_chain(using)
    seq, hash_ = head(using)
    if not seq:
        return None
    anchor = Anchor(timezone.localtime().isoformat(timespec="seconds"), seq, hash_)
    _append_line(f"{anchor.at} {anchor.seq} {anchor.hash}\n")
    for listener in _anchor_listeners:
        try:
            listener(anchor)
        except Exception:  # the file has the anchor; a failed message must not lose it
            logger.exception("audit anchor listener %s failed", listener)
    return anchor


def mark_restore(using: str = "default") -> None:
    """After a restore: anchors written since the backup name events that are gone with the
    rest of the database. The line says from which head the chain goes on."""
    seq, hash_ = head(using)
    at = timezone.localtime().isoformat(timespec="seconds")
    _append_line(f"{RESTORE_MARK} {at} {seq} {hash_}\n")


def read_anchors() -> Iterator[tuple[str, Anchor]]:
    """("anchor" | "restore", Anchor) for each line of the anchor file, in order."""
    path = anchor_file()
    if path is None or not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            kind = RESTORE_MARK if parts[0] == RESTORE_MARK else "anchor"
            fields = parts[1:] if kind == RESTORE_MARK else parts
            try:
                at, seq, hash_ = fields
                yield kind, Anchor(at, int(seq), hash_)
            except ValueError:
                raise ValueError(f"锚点文件 {path} 第 {number} 行无法解析:{line.strip()}") from None


def verify_anchors(using: str = "default") -> tuple[int, list[str]]:
    """Compare the chain with every anchor still in force. Returns (anchors checked, problems
    in Chinese). An anchor is in force unless a later restore mark went back before it (those
    events were lost with the restore: a branch that no longer exists)."""
    in_force: list[Anchor] = []
    for kind, anchor in read_anchors():
        if kind == RESTORE_MARK:
            in_force = [a for a in in_force if a.seq <= anchor.seq]
        if anchor.seq:  # a restore to an empty chain anchors nothing
            in_force.append(anchor)
    problems = []
    last_seq, _ = head(using)
    for start in range(0, len(in_force), 1000):
        chunk = in_force[start : start + 1000]
        hashes = dict(
            AuditEvent.objects.using(using)
            .filter(seq__in=[a.seq for a in chunk])
            .values_list("seq", "hash")
        )
        for anchor in chunk:
            if anchor.seq not in hashes:
                problems.append(
                    f"{anchor.at} 的锚点记录审计链已到第 {anchor.seq} 条,"
                    f"但链上最后一条是第 {last_seq} 条:其后的事件被删除。"
                )
            elif not hmac.compare_digest(hashes[anchor.seq], anchor.hash):
                problems.append(
                    f"{anchor.at} 的锚点与链上第 {anchor.seq} 条事件的哈希不符:此前的事件被改写。"
                )
    return len(in_force), problems
