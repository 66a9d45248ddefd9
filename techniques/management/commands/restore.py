from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techniques.backups import RestoreError, restore_backup


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            counts = restore_backup(Path(file))
        except RestoreError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {counts['rows']} rows and {counts['media_files']} media files from {file}.")
        )
