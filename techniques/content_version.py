"""The content version: a value that changes whenever anything a public page shows may have
changed. Cached pages are filed under it (techniques/page_cache.py), so an edit makes every
cached page unreachable at once, on every app server, whatever the cache backend.

The version lives in the database, in the one `ContentVersion` row, because that is the one
thing every app server and every gunicorn worker already shares: a counter kept in a
worker's local-memory cache would leave the other workers serving stale pages. The counter
is bumped in the same transaction as the edit, so no reader can see the new version before
the new content, nor new content come with the old version for longer than the edit takes.
"""

import secrets

from django.apps import apps
from django.db import models
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

VERSION_ROW = 1
# Bookkeeping rows that no public page shows.
NOT_CONTENT = {"ContentVersion", "LoadedSeed"}
M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def new_content_token():
    return secrets.token_hex(8)


def version_row():
    return apps.get_model("techniques", "ContentVersion").objects.filter(pk=VERSION_ROW)


def bump():
    """Say that published content may have changed. Runs inside the caller's transaction.

    The random token, not only the counter, makes the new version: a counter can come back
    to an old value (a database restored from a dump, a rolled-back test) while pages
    cached under that value are still in a shared cache."""
    if not version_row().update(counter=F("counter") + 1, token=new_content_token()):
        # The row is gone (a flushed test database); a new row gets a new token.
        version_row().model.objects.get_or_create(pk=VERSION_ROW)


def current() -> str:
    """The version to file pages under, in one query.

    Besides the counter, it holds the next scheduled publication time: a guide whose
    `published_at` is still ahead becomes public without anyone saving anything, and the
    version must change the moment it does, by this server's clock.
    """
    Technique = apps.get_model("techniques", "Technique")
    scheduled = Technique.objects.scheduled(timezone.now()).order_by("published_at").values("published_at")[:1]
    row = (
        version_row()
        .annotate(next_publication=Subquery(scheduled))
        .values_list("token", "counter", "next_publication")
        .first()
    )
    if row is None:
        version_row().model.objects.get_or_create(pk=VERSION_ROW)
        return current()
    token, counter, upcoming = row
    return f"{counter}.{token}" + (f".{upcoming.timestamp()}" if upcoming else "")


class ContentQuerySet(models.QuerySet):
    """Bulk writes send no signals, so they bump the version themselves."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            bump()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            bump()
        return rows


def content_models():
    """Every model of the app whose rows a public page may show, including any added later."""
    for model in apps.get_app_config("techniques").get_models():
        if model.__name__ not in NOT_CONTENT and not issubclass(model, HistoricalChanges):
            yield model


def content_changed(sender, **kwargs):
    bump()


def relations_changed(sender, action, **kwargs):
    if action in M2M_CHANGES:
        bump()


def connect_signals():
    for model in content_models():
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"content-version-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"content-version-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                relations_changed, sender=through, dispatch_uid=f"content-version-m2m-{through._meta.label}"
            )
