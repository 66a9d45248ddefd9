"""One-file backups of the site: every content row (with its revision history and the
accounts that made the edits) and every uploaded media file, in a .tar.gz archive."""

import io
import json
import tarfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from techniques.models import LoadedSeed, Page, Source, Technique

DATA_MEMBER = "content.json"
MEDIA_PREFIX = "media/"
DUMPED_APPS = ["auth.user", "auth.group", "techniques"]


class RestoreError(Exception):
    pass


def write_backup(destination: Path) -> dict:
    data = io.StringIO()
    call_command("dumpdata", *DUMPED_APPS, natural_foreign=True, natural_primary=True, stdout=data, indent=None)
    payload = data.getvalue().encode()
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


def database_has_content() -> bool:
    return any(model.objects.exists() for model in (Technique, Source, Page, LoadedSeed))


def safe_media_path(name: str) -> PurePosixPath:
    """The archive member's path under media/, refusing absolute paths and '..'."""
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RestoreError(f"The archive holds an unsafe path: {name!r}.")
    return relative


def restore_backup(source: Path) -> dict:
    if database_has_content():
        raise RestoreError("The database already has content. Restore only into an empty, migrated database.")
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
        with transaction.atomic():
            objects = list(serializers.deserialize("json", payload, handle_forward_references=True))
            for obj in objects:
                obj.save()
            for obj in objects:
                if obj.deferred_fields:
                    obj.save_deferred_fields()
        media_root = Path(settings.MEDIA_ROOT)
        for member, relative in targets:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
    return {"rows": len(objects), "media_files": len(targets)}
