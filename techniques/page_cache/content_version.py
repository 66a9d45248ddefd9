"""The content version: a value that changes whenever anything a public page shows may have
changed. Cached pages are filed under it (techniques/page_cache/middleware.py), so an edit makes every
cached page unreachable at once, on every app server, whatever the cache backend.

The version lives in the database, in the one `ContentVersion` row, because that is the one
thing every app server and every gunicorn worker already shares (with Redis, a copy there
spares cache hits the database trip; techniques/page_cache/shared_version.py): a counter kept in a
worker's local-memory cache would leave the other workers serving stale pages. The counter
is bumped in the same transaction as the edit, so no reader can see the new version before
the new content, nor new content come with the old version for longer than the edit takes.
"""

import bisect
import functools
import secrets

from django.apps import apps
from django.conf import settings
from django.db import connection, models, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalChanges

from techniques.kept_connections import run_checking_connection
from techniques.page_cache import shared_version

VERSION_ROW = 1
# Bookkeeping rows that no public page shows.
NOT_CONTENT = {"ContentVersion", "LoadedSeed", "GuideBody"}
M2M_CHANGES = {"post_add", "post_remove", "post_clear"}
VERSION_FIELDS = ("counter", "token", "upcoming_publications")


def new_content_token():
    return secrets.token_hex(8)


def version_row():
    return apps.get_model("techniques", "ContentVersion").objects.filter(pk=VERSION_ROW)


def upcoming_publications() -> str:
    """When the guides and routines scheduled for later go public, as the version row keeps it."""
    now = timezone.now()
    times = sorted(
        moment
        for model in content_models()
        if hasattr(model._default_manager, "scheduled")  # techniques.models.Publishable
        for moment in model._default_manager.scheduled(now).values_list("published_at", flat=True)
    )
    return " ".join(repr(moment.timestamp()) for moment in times)


def bump():
    """Say that published content may have changed. Runs inside the caller's transaction.

    The random token, not only the counter, makes the new version: a counter can come back
    to an old value (a database restored from a dump, a rolled-back test) while pages
    cached under that value are still in a shared cache."""
    changes = {
        "counter": F("counter") + 1,
        "token": new_content_token(),
        "upcoming_publications": upcoming_publications(),
    }
    if not version_row().update(**changes):
        # The row is gone (a flushed test database); a new row gets a new token.
        version_row().model.objects.get_or_create(
            pk=VERSION_ROW, defaults={"upcoming_publications": changes["upcoming_publications"]}
        )
    if shared_version.enabled():
        # The copy in Redis is marked pending before the edit commits, and replaced once it has.
        shared_version.mark_pending(fetch_version_row()[0])
        transaction.on_commit(lambda: shared_version.publish(fetch_version_row()))


@functools.cache
def version_sql() -> str:
    meta = version_row().model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in VERSION_FIELDS)
    return f"SELECT {columns} FROM {connection.ops.quote_name(meta.db_table)} WHERE {meta.pk.column} = %s"  # noqa: S608


@functools.lru_cache(maxsize=8)
def publication_times(upcoming: str) -> list[float]:
    return [float(moment) for moment in upcoming.split()]


def read_version_row():
    """The version row, read so that the read is also the connection's health check: on a
    cache hit it is the request's only query (techniques/kept_connections.py)."""
    return run_checking_connection(fetch_version_row)


def fetch_version_row():
    with connection.cursor() as cursor:
        cursor.execute(version_sql(), [VERSION_ROW])
        return cursor.fetchone()


def current() -> str:
    """The version to file pages under.

    It is read on every request for a cached page, so it is one primary-key lookup in plain
    SQL: the ORM would take several times longer to build the query than the database takes
    to answer it. With Redis (production), it is read from the copy there instead, which
    techniques/page_cache/shared_version.py keeps exact. Besides the counter, the row lists when
    scheduled guides go public: such a guide becomes public without anyone saving anything,
    and the version changes the moment it does, by this server's clock.
    """
    return current_and(None)[0]


def of_request(request) -> str:
    """The version for what a view reads: the one the page cache read before the view ran, if
    it did (so a miss doesn't read it twice), else the current one."""
    return getattr(request, "content_version", None) or current()


def current_and(redis_key):
    """The version, and what the Redis that holds its copy has under `redis_key`, read in the
    same round trip (None without Redis, while Redis is skipped after a failure, or when the call
    failed on the way)."""
    if shared_version.enabled():
        row, value = shared_version.current_row(read_version_row, also=redis_key)
    else:
        row, value = read_version_row(), None
    if row is None:
        bump()
        return current_and(redis_key)
    counter, token, upcoming = row
    version = f"{counter}.{token}"
    if upcoming:
        version += f".{bisect.bisect_right(publication_times(upcoming), timezone.now().timestamp())}"
    return version, value


# Sent inside a bulk write's transaction, right before it and right after it, with a query of
# the rows it writes (None if they can't be named) and the fields it sets (None: all of
# them): bulk writes send no row signals. techniques/guide_bodies listens.
rows_written_in_bulk = Signal()


class ContentQuerySet(models.QuerySet):
    """Bulk writes send no signals, so they bump the version themselves, and say which rows
    they write, in one transaction with the write: a write that committed without its marks
    would leave stale pages with nothing to correct them."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.writes_to()):
            rows_written_in_bulk.send(self.model, rows=self, fields=list(kwargs))
            rows = super().update(**kwargs)
            if rows:
                bump()
                rows_written_in_bulk.send(self.model, rows=self, fields=list(kwargs))
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.writes_to()):
            created = super().bulk_create(objs, *args, **kwargs)
            if created:
                bump()
                # An upsert (update_conflicts) may also have rewritten rows that were there.
                fields = kwargs.get("update_fields") if kwargs.get("update_conflicts") else None
                rows_written_in_bulk.send(self.model, rows=self.written(created), fields=fields, created=True)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.writes_to()):
            rows_written_in_bulk.send(self.model, rows=self.written(objs), fields=list(fields))
            rows = super().bulk_update(objs, fields, *args, **kwargs)
            if rows:
                bump()
                rows_written_in_bulk.send(self.model, rows=self.written(objs), fields=list(fields))
        return rows

    def writes_to(self):
        return self._db or router.db_for_write(self.model)

    def written(self, objs):
        keys = [obj.pk for obj in objs]
        # Some databases don't hand back the keys of rows made in bulk.
        return None if None in keys else self.model._base_manager.filter(pk__in=keys)


def content_models():
    """Every model of the content apps whose rows a public page may show, including any added later."""
    for label in settings.CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
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
