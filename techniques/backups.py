"""One-file backups of the site: every content row (with its revision history and the
accounts that made the edits) and every uploaded media file, in a .tar.gz archive."""

import datetime
import io
import json
import tarfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings

from techniques.models import ContentVersion

DATA_MEMBER = "content.json"
MEDIA_PREFIX = "media/"


def backed_up_models():
    # The content version is not content: a restored database starts its own, so pages
    # cached from the old database are never served for the new one.
    content = [m for m in apps.get_app_config("techniques").get_models() if m is not ContentVersion]
    return [apps.get_model("auth", "User"), apps.get_model("auth", "Group"), *content]


def full_precision(value):
    # Django's JSON encoder rounds times to milliseconds; a backup keeps them exact.
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def serialized_rows() -> str:
    rows = []
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


def write_backup(destination: Path) -> dict:
    payload = serialized_rows().encode()
    media_root = Path(settings.MEDIA_ROOT)
    media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(destination, "w:gz") as archive:
        info = tarfile.TarInfo(DATA_MEMBER)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        for path in media_files:
            archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
    return {"rows": len(json.loads(payload)), "media_files": len(media_files)}


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
    if not replace and database_has_accounts_or_content():
        raise RestoreError(
            "The database already has accounts or content, which a restore would overwrite or clash "
            "with. Restore into an empty, migrated database, or pass --force to delete every account "
            "and all content in this one and replace them with the archive's."
        )
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise RestoreError(f"{source} is not a Back Relief backup archive ({error}).") from None
    with archive:
        members = {member.name: member for member in archive.getmembers()}
        if DATA_MEMBER not in members:
            raise RestoreError(f"{source} has no {DATA_MEMBER}: it is not a Back Relief backup.")
        payload = archive.extractfile(members[DATA_MEMBER]).read().decode()
        media = [m for name, m in members.items() if name.startswith(MEDIA_PREFIX) and m.isfile()]
        targets = [(member, safe_media_path(member.name)) for member in media]
        # The archive already holds the revision history; restoring must not add to it.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            if replace:
                delete_accounts_and_content()
            rows = json.loads(payload)
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
        for member, relative in targets:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
    return {"rows": len(objects), "media_files": len(targets)}
