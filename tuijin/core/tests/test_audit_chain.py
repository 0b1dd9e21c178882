"""The sealed, keyed audit chain (V10 item 4): no lock on the write path, commit order, the key,
SM3, anchors, unsealed events past the grace period, and ``verify_audit --records``."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tuijin.core.audit import audit_context, record_events, update_audited
from tuijin.core.audited import event_payload
from tuijin.core.chain import (
    digest,
    head,
    publish_anchor,
    register_anchor_listener,
    seal_audit_chain,
    verify_anchors,
    verify_chain,
)
from tuijin.core.models import AuditEvent
from tuijin.notify.models import Notification
from tuijin.org.models import Person
from tuijin.projects.models import Project
from tuijin.projects.tests.factories import make_project

TABLE = AuditEvent._meta.db_table
User = get_user_model()


def rewrite(victim, recompute) -> None:
    """What an attacker with database access does: edit one sealed event, then recompute the
    hashes of it and of every later event with ``recompute(prev_hash, payload)``."""
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="篡改")
    prev_hash = AuditEvent.objects.get(seq=victim.seq - 1).hash if victim.seq > 1 else ""
    for event in AuditEvent.objects.filter(seq__gte=victim.seq).order_by("seq"):
        event.prev_hash, event.hash = prev_hash, recompute(prev_hash, event_payload(event))
        prev_hash = event.hash
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)


def plain_sha256(prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


# --- Writing and sealing ---------------------------------------------------------------------


def test_an_audited_write_only_inserts_its_event(org):
    """No lock and no read of the chain on the write path: the old code read the last hash
    (under pg_advisory_xact_lock on PostgreSQL) before every insert."""
    person = Person.objects.get(user__username="jingfa_staff")
    person.title = "副科长"
    with CaptureQueriesContext(connection) as queries:
        person.save()
    touching = [q["sql"] for q in queries if TABLE in q["sql"] or "advisory" in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")
    event = AuditEvent.objects.latest("id")
    assert (event.seq, event.prev_hash, event.hash) == (None, "", "")


def test_the_sealer_chains_events_in_commit_order_not_id_order(org):
    seal_audit_chain()
    sealed_head, _ = head()
    last_id = AuditEvent.objects.latest("id").pk
    zone = next(iter(org.values()))
    # An event that took id N+10 commits first; one with the lower id N+5 commits later.
    first = AuditEvent.objects.create(
        id=last_id + 10, created_at=AuditEvent.objects.latest("id").created_at,
        action="update", model="org.unit", object_id=str(zone.pk), object_repr=str(zone),
    )  # fmt: skip
    assert seal_audit_chain() == 1
    late = AuditEvent.objects.create(
        id=last_id + 5, created_at=first.created_at,
        action="update", model="org.unit", object_id=str(zone.pk), object_repr=str(zone),
    )  # fmt: skip
    assert seal_audit_chain() == 1
    first.refresh_from_db()
    late.refresh_from_db()
    assert (first.seq, late.seq) == (sealed_head + 1, sealed_head + 2)
    assert late.prev_hash == first.hash
    assert verify_chain() == (sealed_head + 2, None)


def test_a_commit_that_wrote_events_gets_them_sealed(
    org, settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_SEAL_ON_COMMIT = True
    person = Person.objects.get(user__username="jingfa_staff")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person.title = "科长"
        person.save()
        person.phone = "13800000000"
        person.save()
    assert len(callbacks) == 1  # one nudge for the transaction, however many events
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_events_written_in_bulk_are_sealed_in_id_order(org):
    zone = next(iter(org.values()))
    created = record_events([(zone, "update", {"name": [str(i), str(i + 1)]}) for i in range(3)])
    seal_audit_chain(batch_size=2)  # several batches
    seqs = list(
        AuditEvent.objects.filter(pk__in=[e.pk for e in created])
        .order_by("id")
        .values_list("seq", flat=True)
    )
    assert seqs == sorted(seqs) and seqs[-1] - seqs[0] == 2
    assert verify_chain()[1] is None


# --- The key -----------------------------------------------------------------------------------


def test_hashes_recomputed_with_plain_sha256_do_not_verify(org):
    seal_audit_chain()
    victim = AuditEvent.objects.get(seq=5)
    rewrite(victim, plain_sha256)
    checked, broken = verify_chain()
    assert (checked, broken.pk) == (4, victim.pk)
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("verify_audit")


def test_a_chain_sealed_with_one_key_does_not_verify_with_another(org, settings):
    seal_audit_chain()
    assert verify_chain()[1] is None
    settings.AUDIT_KEY = "another-key-" + "x" * 40
    assert verify_chain()[0] == 0


def test_sm3_is_openssls_and_matches_the_published_vectors():
    # GB/T 32905-2016 appendix A, and HMAC-SM3 from GM/T 0042-2015 appendix D.3 (count 1).
    assert hashlib.new("sm3", b"abc").hexdigest() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert hashlib.new("sm3", b"abcd" * 16).hexdigest() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    message = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq" * 2
    assert hmac.new(bytes(range(1, 33)), message, "sm3").hexdigest() == (
        "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a"
    )
    assert digest("", {"a": 1}, key=b"k", name="hmac-sm3") == (
        hmac.new(b"k", b'{"a":1}', "sm3").hexdigest()
    )


def test_a_chain_sealed_with_hmac_sm3_verifies_only_as_sm3(org, settings):
    settings.AUDIT_HASH = "hmac-sm3"
    seal_audit_chain()
    assert verify_chain() == (AuditEvent.objects.count(), None)
    settings.AUDIT_HASH = "hmac-sha256"
    assert verify_chain()[0] == 0


# --- Unsealed events ---------------------------------------------------------------------------


def test_verify_audit_reports_events_unsealed_past_the_grace_period(org, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    seal_audit_chain()
    person = Person.objects.get(user__username="jingfa_staff")
    person.title = "科长"
    person.save()  # unsealed: nobody runs the sealer
    call_command("verify_audit")  # fresh: within the grace period
    time_machine.shift(settings.AUDIT_SEAL_GRACE_SECONDS + 60)
    with pytest.raises(CommandError, match=r"1 条审计事件.*仍未封存"):
        call_command("verify_audit")
    seal_audit_chain()
    call_command("verify_audit")


# --- Anchors -----------------------------------------------------------------------------------


@pytest.fixture
def anchors(settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors" / "audit-anchors.log")
    return tmp_path / "anchors" / "audit-anchors.log"


def test_the_anchor_is_appended_to_its_file_and_handed_to_the_listeners(
    org, anchors, django_capture_on_commit_callbacks
):
    heard = []
    register_anchor_listener(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):  # the inbox's deliveries
            first = publish_anchor()
        make_project(name="锚点之后")
        second = publish_anchor()
    finally:
        from tuijin.core import chain

        chain._anchor_listeners.remove(heard.append)
    assert heard == [first, second] and second.seq > first.seq
    lines = anchors.read_text().splitlines()
    assert lines == [f"{a.at} {a.seq} {a.hash}" for a in (first, second)]
    assert second.hash == AuditEvent.objects.get(seq=second.seq).hash
    assert verify_anchors() == (2, [])
    # notify's listener: the inspectors' (纪检, 督查) inbox holds the head too.
    told = Notification.objects.filter(event="audit_anchor", body__contains=first.hash)
    assert {n.recipient.username for n in told} >= {"jijian", "duban"}


def test_deleting_the_newest_events_is_found_against_the_last_anchor(org, anchors, capsys):
    anchor = publish_anchor()
    AuditEvent.objects.filter(seq__gte=anchor.seq - 2).delete()  # the tail: the chain still links
    assert verify_chain()[1] is None
    _, problems = verify_anchors()
    assert len(problems) == 1 and f"第 {anchor.seq} 条" in problems[0] and "被删除" in problems[0]
    with pytest.raises(CommandError, match="被删除"):
        call_command("verify_audit")


def test_rewriting_with_the_key_is_found_against_the_anchor(org, anchors):
    anchor = publish_anchor()
    rewrite(AuditEvent.objects.get(seq=3), lambda prev, payload: digest(prev, payload))
    assert verify_chain()[1] is None  # whoever holds the key can make the chain link again
    _, problems = verify_anchors()
    assert problems and f"第 {anchor.seq} 条" in problems[0] and "改写" in problems[0]
    with pytest.raises(CommandError, match="改写"):
        call_command("verify_audit")


# --- --records ---------------------------------------------------------------------------------


def test_records_names_a_project_edited_by_sql(org):
    project = make_project(name="城东水厂", total_investment="12.5")
    project.refresh_from_db()
    project.stage = "preparing"
    project.save()
    call_command("verify_audit", "--records")  # as the application left it: consistent
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {project._meta.db_table} SET name = %s WHERE id = %s", ["改名", project.pk]
        )
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", "--records")
    assert f"projects.project #{project.pk} 字段 name" in str(caught.value)
    assert "'城东水厂'" in str(caught.value) and "'改名'" in str(caught.value)


def test_records_names_a_row_deleted_by_sql(org):
    project = make_project(name="南外环")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {project._meta.db_table} WHERE id = %s", [project.pk])
    with pytest.raises(CommandError, match=f"projects.project #{project.pk}:审计记录显示存在"):
        call_command("verify_audit", "--records")


def test_update_audited_records_what_a_queryset_update_does_not(org):
    """``update_audited`` (the demo loaders' backdating): the event ``save()`` would write, so
    ``--records`` agrees; a plain ``update()`` of the same kind is named."""
    first, second = make_project(name="城东水厂"), make_project(name="南外环")
    started = dt.date(2025, 3, 1)
    with audit_context(action="load_demo"):
        assert update_audited(Project.objects.filter(pk=first.pk), actual_start=started) == 1
    event = AuditEvent.objects.filter(object_id=str(first.pk)).latest("id")
    assert (event.model, event.action) == ("projects.project", "load_demo")
    assert event.changes == {"actual_start": [None, "2025-03-01"]}
    update_audited(Project.objects.filter(pk=first.pk), search_text="x")  # ignored: no event
    assert AuditEvent.objects.latest("id") == event
    call_command("verify_audit", "--records")
    Project.objects.filter(pk=second.pk).update(actual_start=started)
    with pytest.raises(CommandError, match=f"projects.project #{second.pk} 字段 actual_start"):
        call_command("verify_audit", "--records")
    with pytest.raises(TypeError):
        update_audited(Project.objects.all(), name=F("code"))


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_writers_do_not_wait_for_each_other_and_commit_order_is_chain_order(org):
    """A transaction holding an audited write open does not hold up another audited write (the
    old chain's pg_advisory_xact_lock made every audited write in the zone wait); the event it
    writes first (lower id) is sealed after the one that committed first."""
    import threading

    from django.db import connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database (PostgreSQL in CI)")
    seal_audit_chain()
    written, release, done = threading.Event(), threading.Event(), []

    def slow_writer():
        try:
            with transaction.atomic():
                person = Person.objects.get(user__username="jingfa_staff")
                person.title = "慢事务"
                person.save()
                done.append(AuditEvent.objects.latest("id").pk)
                written.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert written.wait(timeout=30)
        other = Person.objects.get(user__username="jingfa")
        other.phone = "13900000000"
        with connection.cursor() as cursor:  # a wait for a lock fails the test, never hangs it
            cursor.execute("SET lock_timeout = '5s'")
        other.save()  # committed at once; the old code waited here for the slow transaction
        fast = AuditEvent.objects.latest("id")
        assert fast.pk > done[0]
        assert seal_audit_chain() == 1  # the slow one is not committed: not visible, not sealed
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert seal_audit_chain() == 1
    slow = AuditEvent.objects.get(pk=done[0])
    fast.refresh_from_db()
    assert slow.seq == fast.seq + 1 and slow.prev_hash == fast.hash
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_records_names_an_account_made_superuser_by_sql(org):
    target = User.objects.get(username="jingfa_staff")
    call_command("verify_audit", "--records")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {User._meta.db_table} SET is_superuser = %s WHERE id = %s", [True, target.pk]
        )
    with pytest.raises(CommandError, match=f"auth.user #{target.pk} 字段 is_superuser"):
        call_command("verify_audit", "--records")
