from django.core.management.base import BaseCommand

from techniques.seeding import ContentLoader


class Command(BaseCommand):
    help = (
        "Load the seeded guides, sources, safety tips and pages. Safe to run on every start: an item "
        "no editor has changed follows the seed files, an item an editor changed or deleted is left "
        "as they left it, and a changed item the seed files have since corrected is listed for review."
    )

    def handle(self, *args, **options):
        report = ContentLoader().load()
        self.stdout.write(self.style.SUCCESS(str(report)))
        if report.review:
            self.stdout.write(
                self.style.WARNING(
                    "Changed by an editor, so not updated. Compare each with the seed files in "
                    "techniques/content/ and its history in the admin:"
                )
            )
            for review in report.review:
                self.stdout.write(f"  {review}")
