from django.core.management.base import BaseCommand

from techniques.seeding import ContentLoader


class Command(BaseCommand):
    help = (
        "Load the seeded guides, sources, safety tips and pages. Safe to run on every start: "
        "items loaded before are never loaded again, so editors' changes and deletions stand."
    )

    def handle(self, *args, **options):
        report = ContentLoader().load()
        self.stdout.write(self.style.SUCCESS(str(report)))
