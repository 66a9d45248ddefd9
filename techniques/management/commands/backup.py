from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from techniques.backups import BackupError, write_backup


class Command(BaseCommand):
    help = "Write one .tar.gz archive with all content (and its history) and all uploaded media."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write it; default backups/backrelief-<time>.tar.gz")

    def handle(self, *args, file=None, **options):
        destination = Path(file or f"backups/backrelief-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            counts = write_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {destination}: {counts['rows']} rows, {counts['media_files']} media files.")
        )
