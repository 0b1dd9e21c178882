"""Migration core 0003: a zone's SHA-256 chain is checked, resealed with the key (seq in id
order) and closed by a ``rekey_audit`` event saying what the check found."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tuijin.core.chain import verify_chain
from tuijin.core.models import AuditEvent

BEFORE = [("core", "0002_job")]


def legacy_hash(prev_hash: str, event) -> str:
    payload = {
        "at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor": event.actor_repr,
        "action": event.action,
        "model": event.model,
        "object_id": event.object_id,
        "object": event.object_repr,
        "changes": event.changes,
    }
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampered", [False, True])
def test_the_sha256_chain_is_resealed_with_the_key_and_its_state_recorded(tampered):
    AuditEvent.objects.all().delete()  # the org's unsealed events: hash "" is unique before
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Legacy = executor.loader.project_state(BEFORE).apps.get_model("core", "AuditEvent")
        prev_hash, ids = "", []
        for n in range(3):
            event = Legacy(
                created_at=timezone.now(), actor_repr="李敏", action="update",
                model="org.person", object_id=str(n), object_repr=f"人员{n}",
                changes={"title": ["科员", f"科长{n}"]},
            )  # fmt: skip
            event.prev_hash, event.hash = prev_hash, legacy_hash(prev_hash, event)
            prev_hash = event.hash
            event.save()
            ids.append(event.pk)
        if tampered:  # edited before the migration: the old verify_audit would have said so
            Legacy.objects.filter(pk=ids[1]).update(object_repr="篡改")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert verify_chain() == (4, None)  # resealed: the three, then the note
    assert list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))[:3] == ids
    note = AuditEvent.objects.get(seq=4)
    assert note.action == "rekey_audit"
    assert note.changes == {
        "legacy_algorithm": "sha256",
        "legacy_events": 3,
        "legacy_head": prev_hash,
        "legacy_intact": not tampered,
        "legacy_broken_at": ids[1] if tampered else None,
        "algorithm": "hmac-sha256",
    }
