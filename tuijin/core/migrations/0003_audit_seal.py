"""The audit chain gets a sealer and a key (docs/development/audit.md, "From the SHA-256 chain").

Events written before this migration were chained with plain SHA-256 in id order. Here that
old chain is checked once more, then every event is sealed again with the key (HMAC, ``seq`` in
id order), and one last event, ``rekey_audit``, records what the check found: how many events,
the old head hash, whether the old chain was intact and, if not, the first broken event. From
then on the old events are protected by the key like the new ones, and the finding is in the
keyed chain. The key is the one configured when ``migrate`` runs (check tuijin.E002).
"""

import hashlib
import json

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from tuijin.core.audited import event_payload
from tuijin.core.chain import algorithm, audit_key, digest

BATCH = 1000


def legacy_digest(prev_hash: str, event) -> str:
    """The hash as written before this migration: sha256(prev_hash + canonical JSON)."""
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


def reseal(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias)
    key, name = audit_key(), algorithm()
    old_prev, broken_at, count = "", None, 0
    seq, prev_hash, last_id = 0, "", 0
    while batch := list(events.filter(id__gt=last_id).order_by("id")[:BATCH]):
        for event in batch:
            if broken_at is None and (
                event.prev_hash != old_prev or event.hash != legacy_digest(old_prev, event)
            ):
                broken_at = event.pk
            old_prev = event.hash
            seq += 1
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = digest(prev_hash, event_payload(event), key, name)
        events.bulk_update(batch, ["seq", "prev_hash", "hash"])
        count += len(batch)
        last_id = batch[-1].pk
    if not count:
        return
    note = AuditEvent(
        created_at=timezone.now(),
        actor_repr="系统",
        action="rekey_audit",
        model="core.auditevent",
        object_id="",
        object_repr="审计链",
        changes={
            "legacy_algorithm": "sha256",
            "legacy_events": count,
            "legacy_head": old_prev,
            "legacy_intact": broken_at is None,
            "legacy_broken_at": broken_at,
            "algorithm": name,
        },
        seq=seq + 1,
        prev_hash=prev_hash,
    )
    note.hash = digest(prev_hash, event_payload(note), key, name)
    note.save(using=schema_editor.connection.alias)
    if broken_at is not None:
        print(f"\n  审计链(SHA-256)在事件 #{broken_at} 处已断开;已记录在 rekey_audit 事件中。")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, unique=True, verbose_name="链序号"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_unsealed_idx"
            ),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
