"""No edit is lost: revisions, restoring deleted guides, the publish guard, backups."""

import hashlib
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from techniques.backups import restore_backup, write_backup
from techniques.models import Status, Technique
from tests.factories import SourceFactory, StepFactory, TechniqueFactory
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db


def revert_through_admin(staff_client, guide_id, version):
    url = reverse("admin:techniques_technique_simple_history", args=[guide_id, version.history_id])
    response = staff_client.get(url)
    assert response.status_code == 200
    return staff_client.post(url, change_form_data(response))


def test_revert_restores_an_earlier_guide_and_its_steps(staff_client):
    guide = TechniqueFactory(title="Original title", steps=3)
    original = guide.history.latest()
    original_steps = list(guide.steps.order_by("order").values_list("title", "instruction", "hold_seconds"))

    guide.title = "Changed title"
    guide.save()
    first = guide.steps.get(order=1)
    first.instruction = "A change we regret."
    first.save()
    guide.steps.get(order=3).delete()
    StepFactory(technique=guide, order=4, title="An added step")

    response = revert_through_admin(staff_client, guide.pk, original)
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Original title"
    assert list(guide.steps.order_by("order").values_list("title", "instruction", "hold_seconds")) == original_steps
    assert guide.history.count() > 2  # the revert is itself a recorded change


def test_history_shows_who_changed_what(staff_client):
    guide = TechniqueFactory()
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data["summary"] = "Edited through the admin."
    staff_client.post(url, data)
    latest = guide.history.latest()
    assert latest.history_user.is_staff and latest.summary == "Edited through the admin."
    history_page = staff_client.get(reverse("admin:techniques_technique_history", args=[guide.pk]))
    assert latest.history_user.username in history_page.content.decode()


def test_a_deleted_guide_is_restored_with_its_steps_tips_and_sources(staff_client):
    guide = TechniqueFactory(slug="gone", steps=3, sources=2)
    guide_id = guide.pk
    counts = (guide.steps.count(), guide.tips.count(), guide.citations.count())
    last_version = guide.history.latest()
    guide.delete()
    assert not Technique.objects.filter(pk=guide_id).exists()

    listing = staff_client.get(reverse("admin:techniques_technique_deleted")).content.decode()
    assert reverse("admin:techniques_technique_history", args=[guide_id]) in listing

    response = revert_through_admin(staff_client, guide_id, last_version)
    assert response.status_code == 302
    restored = Technique.objects.get(pk=guide_id)
    assert (restored.steps.count(), restored.tips.count(), restored.citations.count()) == counts


def test_publishing_from_the_change_form_needs_steps_sources_and_tips(staff_client):
    guide = TechniqueFactory(status=Status.DRAFT, steps=1, sources=1)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data["status"] = Status.PUBLISHED
    data["steps-0-DELETE"] = "on"
    data["citations-0-DELETE"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "It can&#x27;t be published yet. It needs at least one step." in html
    assert "It needs at least one cited source." in html
    guide.refresh_from_db()
    assert guide.status == Status.DRAFT and guide.steps.count() == 1  # nothing was saved


def test_publish_action_refuses_an_incomplete_guide_and_says_why(staff_client):
    complete = TechniqueFactory(status=Status.DRAFT, title="Complete")
    bare = TechniqueFactory(status=Status.DRAFT, title="Bare", steps=0, sources=0)
    bare.tips.all().delete()
    no_alt = TechniqueFactory(status=Status.DRAFT, title="No alt", steps=0)
    StepFactory(technique=no_alt, order=1, illustration="cat-cow-1", image_alt="")
    changelist = reverse("admin:techniques_technique_changelist")
    response = staff_client.post(
        changelist, {"action": "publish", "_selected_action": [complete.pk, bare.pk, no_alt.pk]}, follow=True
    )
    html = response.content.decode()
    assert "at least one step; at least one cited source; at least one safety tip" in html
    assert "alt text on the picture of step 1" in html
    assert set(Technique.objects.published().values_list("title", flat=True)) == {"Complete"}


def test_admin_index_lists_guides_due_for_review(staff_client):
    TechniqueFactory(title="Overdue for review", next_review_due="2021-05-01")
    TechniqueFactory(title="Recently reviewed", next_review_due="2999-05-01")
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Guides due for clinical review" in html
    assert "Overdue for review" in html and "Recently reviewed" not in html


def every_row():
    out = io.StringIO()
    call_command(
        "dumpdata",
        *settings.CONTENT_APPS,
        "auth.user",
        # Neither is content: a restored database starts its own version and renders its
        # own guide bodies (techniques/backups.py).
        exclude=["techniques.ContentVersion", "techniques.GuideBody"],
        natural_foreign=True,
        stdout=out,
    )
    return out.getvalue()


def media_hashes(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_every_row_and_media_file(seeded, tmp_path, settings, staff_client):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "steps").mkdir(parents=True)
    (tmp_path / "media" / "steps" / "photo.jpg").write_bytes(b"\xff\xd8 not really a jpeg but bytes to keep")
    guide = Technique.objects.get(slug="cat-cow")
    guide.title = "Cat-cow, edited before the backup"
    guide.save()
    rows_before, media_before = every_row(), media_hashes(tmp_path / "media")
    assert '"model": "routines.routineitem"' in rows_before

    archive = tmp_path / "backup.tar.gz"
    counts = write_backup(archive)
    # The photo, and the share card drawn for the new title.
    guide.refresh_from_db()
    assert guide.share_card in media_before
    assert counts["media_files"] == len(media_before) == 2 and counts["rows"] > 100

    # An empty, migrated database and no media, as on a new server.
    call_command("flush", interactive=False, verbosity=0)
    for path in (tmp_path / "media").rglob("*.*"):
        path.unlink()
    assert not Technique.objects.exists()

    restore_backup(archive)
    rows_after = json.loads(every_row())
    assert len(rows_after) == len(json.loads(rows_before))
    for before, after in zip(json.loads(rows_before), rows_after, strict=True):
        assert after == before
    assert SourceFactory().pk  # new rows get fresh ids after a restore
    assert media_hashes(tmp_path / "media") == media_before


def test_restore_refuses_a_database_with_content(seeded, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.tar.gz"
    write_backup(archive)
    with pytest.raises(Exception, match="already has accounts or content"):
        restore_backup(archive)
    assert SourceFactory()  # the database is untouched and usable
