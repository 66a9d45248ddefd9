from django.core.management.base import BaseCommand, CommandError

from techniques.seeding import ContentLoader


class Command(BaseCommand):
    help = (
        "Load the seeded guides, sources, safety tips and pages. Safe to run on every start: an item "
        "no editor has changed follows the seed files, an item an editor changed or deleted is left "
        "as they left it, and a changed item the seed files have since corrected is listed for review "
        "(here and on the admin home page)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reviewed",
            nargs="+",
            metavar="KEY",
            help="Load nothing; mark these listed items as reviewed, keeping the editors' text.",
        )

    def handle(self, *args, reviewed=None, **options):
        loader = ContentLoader()
        if reviewed:
            unknown = loader.mark_reviewed(reviewed)
            if unknown:
                raise CommandError(f"Not waiting for review: {', '.join(unknown)}.")
            self.stdout.write(self.style.SUCCESS(f"{len(reviewed)} item(s) marked as reviewed."))
            return
        report = loader.load()
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
