from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techniques.backups import RestoreError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a backup written by `manage.py backup` into an empty, migrated database "
        "(or, with --force, in place of every account and all content in this one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete every account and all content already in the database, then restore.",
        )

    def handle(self, *args, file, force=False, **options):
        try:
            counts = restore_backup(Path(file), replace=force)
        except RestoreError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {counts['rows']} rows and {counts['media_files']} media files from {file}.")
        )
