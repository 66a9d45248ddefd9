"""Backups taken while editors work, and restores that never overwrite a live site.

An archive is one moment of the database: the tests edit guides and steps from another
connection while backups run, and every archive restores row for row and equals the database
as it was at some moment between two edits.
"""

import io
import json
import tarfile
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from techniques import backups
from techniques.backups import BackupError, RestoreError, restore_backup, serialized_rows, write_backup
from techniques.models import Step, Technique
from tests.factories import StepFactory, TechniqueFactory, UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="REPEATABLE READ snapshots are PostgreSQL's; CI runs this on it"
)


def guides_and_steps() -> frozenset:
    """The moment's guides, each with its steps: what an archive must match."""
    steps = {}
    for guide_id, step_id in Step.objects.values_list("technique_id", "pk"):
        steps.setdefault(guide_id, set()).add(step_id)
    return frozenset(
        (guide_id, frozenset(steps.get(guide_id, ()))) for guide_id in Technique.objects.values_list("pk", flat=True)
    )


def archived_guides_and_steps(rows) -> frozenset:
    steps = {}
    for row in rows:
        if row["model"] == "techniques.step":
            steps.setdefault(row["fields"]["technique"], set()).add(row["pk"])
    guides = [row["pk"] for row in rows if row["model"] == "techniques.technique"]
    return frozenset((guide_id, frozenset(steps.get(guide_id, ()))) for guide_id in guides)


def archive_rows(path: Path) -> list[dict]:
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile(backups.DATA_MEMBER).read())


class Editor:
    """Another connection that adds guides with steps and deletes guides (with their steps),
    each edit in one transaction, and notes every state the database passes through."""

    def __init__(self):
        self.moments = [guides_and_steps()]
        self.lock = threading.Lock()

    def add_guide(self):
        with transaction.atomic():
            guide = TechniqueFactory(steps=0, sources=0)
            for order in (1, 2, 3):
                StepFactory(technique=guide, order=order)
        self.note()

    def delete_oldest_guide(self):
        with transaction.atomic():
            Technique.objects.order_by("pk").first().delete()
        self.note()

    def note(self):
        # This connection is the only writer, so what it reads after its commit is the moment.
        with self.lock:
            self.moments.append(guides_and_steps())

    def in_thread(self, work):
        def run():
            try:
                work()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread


def restore_and_compare(archive: Path):
    """Restore the archive in place of everything, and read it all back, row for row."""
    rows = archive_rows(archive)
    restore_backup(archive, replace=True)
    assert json.loads(serialized_rows()) == rows


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_between_two_tables_of_a_backup_is_wholly_out_of_it(tmp_path, settings):
    """Deterministic: the editor commits after the backup has read the guides and before it
    reads the steps. Before snapshots, that archive held steps of a guide it didn't hold (and
    restoring it failed), and a guide whose steps had gone."""
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = Editor()
    for _ in range(3):
        editor.add_guide()
    real_serialize = backups.serializers.serialize

    def serialize_then_edit(format, queryset, **options):
        rows = real_serialize(format, queryset, **options)
        if queryset.model is Technique:
            editor.in_thread(lambda: (editor.add_guide(), editor.delete_oldest_guide())).join()
        return rows

    archive = tmp_path / "backup.tar.gz"
    with mock.patch.object(backups.serializers, "serialize", serialize_then_edit):
        write_backup(archive)
    assert archived_guides_and_steps(archive_rows(archive)) == editor.moments[3]
    restore_and_compare(archive)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_backups_taken_while_guides_and_steps_are_edited_restore_and_match_a_real_moment(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    editor = Editor()
    for _ in range(4):
        editor.add_guide()
    done = threading.Event()

    def keep_editing():
        while not done.is_set():
            editor.add_guide()
            editor.delete_oldest_guide()

    thread = editor.in_thread(keep_editing)
    archives = []
    # At least 12 backups, and on until the editor has made 20 edits: on a loaded machine the
    # editing thread can get little time, and backups taken with no edit between prove nothing.
    deadline = time.monotonic() + 120
    try:
        while len(archives) < 12 or (len(editor.moments) <= 20 and time.monotonic() < deadline):
            archive = tmp_path / f"backup-{len(archives)}.tar.gz"
            write_backup(archive)
            archives.append(archive)
    finally:
        done.set()
        thread.join()
    assert len(editor.moments) > 20, "the editor hardly edited while the backups ran"
    for archive in archives:
        assert archived_guides_and_steps(archive_rows(archive)) in editor.moments, archive
    for archive in archives:
        restore_and_compare(archive)


@pytest.mark.django_db
def test_a_backup_that_would_not_restore_is_not_written(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    guide = TechniqueFactory(steps=2)
    real_rows = serialized_rows()
    # What a backup without one snapshot could hold: the steps of a guide it doesn't hold.
    torn = [
        row for row in json.loads(real_rows) if not (row["model"] == "techniques.technique" and row["pk"] == guide.pk)
    ]
    destination = tmp_path / "backups" / "torn.tar.gz"
    with mock.patch.object(backups, "serialized_rows", return_value=json.dumps(torn)):
        with pytest.raises(CommandError, match=r"failed its restore check.*techniques.step .* links by technique"):
            call_command("backup", str(destination))
        with pytest.raises(BackupError):
            write_backup(destination)
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_that_fails_the_check(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    guide = TechniqueFactory(steps=2)
    archive = tmp_path / "good.tar.gz"
    write_backup(archive)
    rows = [
        row for row in archive_rows(archive) if not (row["model"] == "techniques.technique" and row["pk"] == guide.pk)
    ]
    payload = json.dumps(rows).encode()
    torn = tmp_path / "torn.tar.gz"
    with tarfile.open(torn, "w:gz") as out:
        info = tarfile.TarInfo(backups.DATA_MEMBER)
        info.size = len(payload)
        out.addfile(info, io.BytesIO(payload))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="can't be restored: techniques.step"):
        call_command("restore", str(torn))
    assert not Step.objects.exists() and not Technique.objects.exists()
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(RestoreError, match="not a readable Back Relief backup"):
        restore_backup(tmp_path / "junk.tar.gz")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_a_user_and_force_replaces_it(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="ops")  # archived, with the same name as the operator's below
    TechniqueFactory(title="Archived guide")
    archive = tmp_path / "backup.tar.gz"
    write_backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    User = get_user_model()
    # A fresh server where the operator has just run createsuperuser, and nothing else.
    User.objects.create_superuser("ops", "ops@example.org", "the-operators-own-passphrase")
    with pytest.raises(CommandError, match="already has accounts or content.*--force"):
        call_command("restore", str(archive))
    ops = User.objects.get(username="ops")
    assert ops.check_password("the-operators-own-passphrase") and ops.is_superuser
    assert not Technique.objects.exists()

    call_command("restore", str(archive), "--force", verbosity=0)
    assert list(Technique.objects.values_list("title", flat=True)) == ["Archived guide"]
    assert User.objects.get(username="ops").check_password("correct horse battery staple")
    assert User.objects.count() == 1
