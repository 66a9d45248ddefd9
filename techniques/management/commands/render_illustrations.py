"""Render the site's drawings: step SVGs (a still one per step, and an animated one per
movement) and the cavitation diagram into static/, and contact sheets for reviewing them
into build/contact-sheets/.

    python manage.py render_illustrations           # write SVGs and contact sheets
    python manage.py render_illustrations --check   # CI: fail if committed SVGs are stale

Reads guide titles and step counts from the content TOML files, never the database.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from techniques.illustrations import build
from techniques.illustrations.content import load_guides
from techniques.illustrations.registry import keys
from techniques.seeding import CONTENT_DIR

GUIDES_DIR = CONTENT_DIR / "guides"


class Command(BaseCommand):
    help = "Write the step and diagram SVGs to static/illustrations and contact sheets to build/contact-sheets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if a committed SVG differs from what the generator makes now.",
        )
        parser.add_argument(
            "--no-sheets",
            action="store_true",
            help="Skip the contact sheets (they need Pillow and take a few seconds).",
        )

    def handle(self, *args, check=False, no_sheets=False, **options):
        base_dir = Path(settings.BASE_DIR)
        static_dir = base_dir / "static" / "illustrations"
        self._require_every_step_drawn()
        if check:
            problems = build.differences(GUIDES_DIR, static_dir)
            for problem in problems:
                self.stderr.write(f"{problem.reason}: {problem.path.relative_to(base_dir)}")
            if problems:
                raise CommandError(
                    f"{len(problems)} illustration file(s) out of date. Run `make illustrations` and commit the result."
                )
            self.stdout.write(self.style.SUCCESS(f"All {len(keys())} illustrations are up to date."))
            return
        written = build.write_all(GUIDES_DIR, static_dir)
        removed = build.remove_stale(GUIDES_DIR, static_dir)
        self.stdout.write(f"SVG: {len(written)} written, {len(removed)} stale removed, {len(keys())} in all.")
        if not no_sheets:
            from techniques.illustrations.contact_sheet import write_sheets

            sheets = write_sheets(base_dir / "build" / "contact-sheets", GUIDES_DIR)
            self.stdout.write(f"Contact sheets: {len(sheets)} in {sheets[0].parent.relative_to(base_dir)}/")

    def _require_every_step_drawn(self):
        """A guide step without a drawing would silently show no picture: stop instead."""
        drawn = set(keys())
        missing = [step.key for guide in load_guides(GUIDES_DIR) for step in guide.steps if step.key not in drawn]
        if missing:
            raise CommandError(
                f"No drawing for: {', '.join(missing)}. Add a shot for each to techniques/illustrations/shots.py."
            )
