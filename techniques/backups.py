"""One-file backups of the site: every content row (with its revision history and the
accounts that made the edits) and every uploaded media file, in a .tar.gz archive.

An archive is one moment of the database: every table is read in one transaction, which on
PostgreSQL is REPEATABLE READ, so an edit committed while the backup runs is either wholly in
it or not at all (SQLite's transaction already reads one snapshot). Every archive is checked
before the backup says it wrote it, and restore refuses one that fails the same check: every
row that a row links to must be in the archive.
"""

import datetime
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings

from techniques.models import ContentVersion, GuideBody

DATA_MEMBER = "content.json"
MEDIA_PREFIX = "media/"


def backed_up_models():
    # The content version is not content: a restored database starts its own, so pages
    # cached from the old database are never served for the new one. Stored guide bodies
    # are rendered from the content, again after a restore.
    content = [
        model
        for label in settings.CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if model not in (ContentVersion, GuideBody)
    ]
    return [apps.get_model("auth", "User"), apps.get_model("auth", "Group"), *content]


def full_precision(value):
    # Django's JSON encoder rounds times to milliseconds; a backup keeps them exact.
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def start_snapshot():
    """Make the transaction just begun read one moment of the database, whatever commits
    meanwhile. Inside a caller's transaction (a test's), that transaction is the snapshot."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def serialized_rows() -> str:
    rows = []
    snapshot = not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            start_snapshot()
        for model in backed_up_models():
            # Groups are matched by name: a migrated database already has "Editors". Every
            # other row keeps its id, so links to it survive.
            by_name = model is apps.get_model("auth", "Group")
            queryset = model._base_manager.order_by("pk")
            rows += serializers.serialize(
                "python", queryset, use_natural_foreign_keys=True, use_natural_primary_keys=by_name
            )
    return json.dumps(rows, default=full_precision)


class RestoreError(Exception):
    pass


class BackupError(Exception):
    pass


def row_keys(model, row) -> set:
    """What a link to this row may say: its id, and its natural key (a user's username, a
    group's name) where links to the model are written that way."""
    keys = {row["pk"]} if "pk" in row else set()
    if hasattr(model, "natural_key"):
        plain = {
            field.attname: row["fields"][field.name]
            for field in model._meta.concrete_fields
            if not field.is_relation and field.name in row["fields"]
        }
        keys.add(tuple(model(**plain).natural_key()))
    return keys


def enforced_links(model, fields: dict, backed_up: set):
    """(field, target model, value) for each link of a row that the database enforces, to a
    model the archive holds. A revision's link to a guide deleted since is not enforced: it
    is history, not a broken link."""
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        target = field.related_model
        if target not in backed_up or fields.get(field.name) is None:
            continue
        if field.many_to_many:
            if field.remote_field.through._meta.auto_created:
                for value in fields[field.name]:
                    yield field, target, value
        elif field.db_constraint:
            yield field, target, fields[field.name]


def archive_problems(rows: list[dict]) -> list[str]:
    """Why these rows could not be restored: a link to a row the archive doesn't hold, such as
    a step of a guide that isn't in it."""
    backed_up = set(backed_up_models())
    present = {model: set() for model in backed_up}
    for row in rows:
        model = apps.get_model(row["model"])
        if model not in backed_up:
            return [f"it holds rows of {row['model']}, which a backup never holds"]
        present[model] |= row_keys(model, row)
    problems = []
    for row in rows:
        model = apps.get_model(row["model"])
        for field, target, value in enforced_links(model, row["fields"], backed_up):
            key = tuple(value) if isinstance(value, list) else value
            if key not in present[target]:
                problems.append(
                    f"{row['model']} {row.get('pk', '')} links by {field.name} to {target._meta.label} "
                    f"{value!r}, which is not in the archive"
                )
    return problems


def read_archive(source: Path) -> tuple[list[dict], list]:
    """The rows and media members of an archive that passes the restore check; RestoreError
    says what is wrong with one that doesn't."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            members = {member.name: member for member in archive.getmembers()}
            if DATA_MEMBER not in members:
                raise RestoreError(f"{source} has no {DATA_MEMBER}: it is not a Back Relief backup.")
            rows = json.loads(archive.extractfile(members[DATA_MEMBER]).read().decode())
    except (OSError, tarfile.TarError, EOFError, UnicodeDecodeError, ValueError) as error:
        raise RestoreError(f"{source} is not a readable Back Relief backup archive ({error}).") from None
    try:
        problems = archive_problems(rows)
    except (KeyError, LookupError, TypeError, AttributeError) as error:
        raise RestoreError(f"{source} is not a Back Relief backup of this site ({error!r}).") from None
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise RestoreError(f"{source} can't be restored: {shown}.")
    media = [m for name, m in members.items() if name.startswith(MEDIA_PREFIX) and m.isfile()]
    return rows, media


def write_backup(destination: Path) -> dict:
    """Write the archive beside `destination`, check that it restores, and only then move it
    there: a backup that fails the check leaves no file that looks like a good one."""
    payload = serialized_rows().encode()
    media_root = Path(settings.MEDIA_ROOT)
    media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(descriptor)
    unchecked = Path(name)
    try:
        with tarfile.open(unchecked, "w:gz") as archive:
            info = tarfile.TarInfo(DATA_MEMBER)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            for path in media_files:
                archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        try:
            rows, _ = read_archive(unchecked)
        except RestoreError as error:
            raise BackupError(f"The backup failed its restore check, so no archive was written. {error}") from None
        unchecked.replace(destination)
    finally:
        unchecked.unlink(missing_ok=True)
    return {"rows": len(rows), "media_files": len(media_files)}


def accounts_and_content():
    """What a restore writes: every backed-up model but groups, which migrations create."""
    return [model for model in backed_up_models() if model is not apps.get_model("auth", "Group")]


def database_has_accounts_or_content() -> bool:
    return any(model._base_manager.exists() for model in accounts_and_content())


def delete_accounts_and_content():
    # Content before the accounts its revisions name.
    for model in reversed(accounts_and_content()):
        model._base_manager.all().delete()


def safe_media_path(name: str) -> PurePosixPath:
    """The archive member's path under media/, refusing absolute paths and '..'."""
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RestoreError(f"The archive holds an unsafe path: {name!r}.")
    return relative


def restore_backup(source: Path, *, replace: bool = False) -> dict:
    """Load an archive into an empty, migrated database. With `replace`, every account and all
    content already there are deleted first, in the same transaction as the load."""
    rows, media = read_archive(source)
    targets = [(member, safe_media_path(member.name)) for member in media]
    if not replace and database_has_accounts_or_content():
        raise RestoreError(
            "The database already has accounts or content, which a restore would overwrite or clash "
            "with. Restore into an empty, migrated database, or pass --force to delete every account "
            "and all content in this one and replace them with the archive's."
        )
    # The archive already holds the revision history; restoring must not add to it.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        if replace:
            delete_accounts_and_content()
        objects = list(serializers.deserialize("python", rows, handle_forward_references=True))
        for obj in objects:
            obj.save()
        for obj in objects:
            if obj.deferred_fields:
                obj.save_deferred_fields()
        # Rows came with their ids; PostgreSQL's id sequences must move past them, as loaddata does.
        reset = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        with connection.cursor() as cursor:
            for statement in reset:
                cursor.execute(statement)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive:
        for member, relative in targets:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
    return {"rows": len(objects), "media_files": len(targets)}
