"""Back up, change records and files, restore: everything as it was, the audit chain intact.

Runs on the configured database: SQLite here, PostgreSQL (pg_dump / pg_restore) in CI.
"""

import io
import json
import tarfile
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from tuijin.core.audit import verify_chain
from tuijin.core.backup import BackupError, back_up, restore
from tuijin.core.chain import publish_anchor, seal_audit_chain, verify_anchors
from tuijin.core.models import AuditEvent
from tuijin.projects.models import Project, ProjectFile
from tuijin.projects.tests.factories import make_project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_round_trip_gives_back_records_files_and_the_audit_chain(org, media, tmp_path):
    project = make_project(name="人才公寓项目")
    photo = ProjectFile.objects.create(
        project=project, kind="photo", file=ContentFile(b"\xff\xd8\xffphoto", name="清表.jpg")
    )
    photo_pk, events, archive = photo.pk, AuditEvent.objects.count(), tmp_path / "b.tar"
    back_up(archive)

    project.name = "改过的名字"
    project.save()
    photo.file.delete(save=False)
    photo.delete()
    make_project(name="备份之后的项目")
    assert AuditEvent.objects.count() > events

    info = restore(archive)
    assert info["audit_events"] == events
    assert Project.objects.get(pk=project.pk).name == "人才公寓项目"
    assert not Project.objects.filter(name="备份之后的项目").exists()
    assert ProjectFile.objects.get(pk=photo_pk).file.read() == b"\xff\xd8\xffphoto"
    assert AuditEvent.objects.count() == events
    assert verify_chain() == (events, None)
    assert list(media.parent.glob("media.before-restore-*"))  # what was replaced is kept


def test_the_commands_back_up_into_a_folder_and_restore_from_it(org, media, tmp_path, capsys):
    make_project(name="城东水厂")
    call_command("backup", to=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("tuijin-*.tar")
    assert "已备份到" in capsys.readouterr().out
    Project.objects.filter(name="城东水厂").update(name="x")
    call_command("restore", str(archive), yes=True)
    out = capsys.readouterr().out
    assert "审计链完好" in out
    # Local time, as the archive's name has it, not the manifest's UTC.
    with tarfile.open(archive) as tar:
        made = datetime.fromisoformat(json.load(tar.extractfile("manifest.json"))["created_at"])
    assert f"已恢复 {timezone.localtime(made):%Y-%m-%d %H:%M:%S} 的备份" in out
    assert Project.objects.filter(name="城东水厂").exists()


def test_an_archive_that_is_no_backup_is_refused_and_changes_nothing(org, media, tmp_path):
    make_project(name="南外环")
    bogus = tmp_path / "bogus.tar"
    with tarfile.open(bogus, "w") as archive:
        archive.add(__file__, "notes.py")
    with pytest.raises(BackupError, match=r"缺少 manifest\.json"):
        restore(bogus)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar"), yes=True)
    assert Project.objects.filter(name="南外环").exists()


def test_after_a_restore_the_anchors_of_lost_events_are_set_aside(org, media, tmp_path, settings):
    """The anchor file is outside the archive: a restore marks it, so anchors taken after the
    backup (their events are gone with the restore) no longer fail verify_audit, and those
    taken before still hold the restored chain."""
    settings.AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    make_project(name="备份之前")
    before = publish_anchor()
    back_up(tmp_path / "b.tar")
    make_project(name="备份之后")
    after = publish_anchor()
    assert after.seq > before.seq
    restore(tmp_path / "b.tar")
    assert verify_anchors() == (2, [])  # the first anchor and the restore mark
    assert (tmp_path / "anchors.log").read_text().splitlines()[-1].startswith("restore ")
    make_project(name="恢复之后")  # the chain goes on from the restored head
    seal_audit_chain()
    assert verify_chain()[1] is None and verify_anchors()[1] == []


@pytest.fixture
def python_3_11_2(monkeypatch):
    """tarfile as in Debian 12's python3 (3.11.2): no extraction filters (PEP 706 came in 3.11.4)."""
    monkeypatch.delattr(tarfile, "data_filter", raising=False)
    unfiltered = tarfile.TarFile.extractall

    def extractall(self, path=".", members=None, *, numeric_owner=False, **kwargs):
        if kwargs:
            raise TypeError(
                f"extractall() got an unexpected keyword argument {next(iter(kwargs))!r}"
            )
        return unfiltered(self, path, members, numeric_owner=numeric_owner, filter="fully_trusted")

    monkeypatch.setattr(tarfile.TarFile, "extractall", extractall)


def test_a_restore_works_on_python_without_tar_filters(org, media, tmp_path, python_3_11_2):
    make_project(name="老城改造")
    back_up(tmp_path / "b.tar")
    Project.objects.filter(name="老城改造").update(name="x")
    restore(tmp_path / "b.tar")
    assert Project.objects.filter(name="老城改造").exists()


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/outside.txt", "media/link"])
def test_without_tar_filters_a_member_out_of_the_folder_is_refused(
    org, media, tmp_path, python_3_11_2, name
):
    make_project(name="北环路")
    archive = tmp_path / "b.tar"
    back_up(archive)
    with tarfile.open(archive, "a") as tar:
        member = tarfile.TarInfo(name)
        if name == "media/link":
            member.type, member.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(member, io.BytesIO(b""))
    with pytest.raises(BackupError, match="不允许的条目"):
        restore(archive)
    assert Project.objects.filter(name="北环路").exists()
