from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from techniques.images.share_card_drawing import draw_share_card
from techniques.images.share_card_files import ensure_guide_card, ensure_page_card
from techniques.models import Page, Technique

SITE_CARD = Path(settings.BASE_DIR) / "static" / "img" / "share-card.png"


class Command(BaseCommand):
    help = (
        "Draw every guide's and page's share card that is missing or out of date (they are "
        "also drawn when a guide or page is saved), and with --site the site-wide card in "
        "static/img/share-card.png."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Draw every card again.")
        parser.add_argument("--site", action="store_true", help="Also draw the site-wide card (a static file).")

    def handle(self, *args, force=False, site=False, **options):
        if site:
            card = draw_share_card(
                "Ease a stiff upper back, gently and safely",
                "Illustrated step-by-step guides, clear safety limits, and the truth about the pop.",
            )
            card.save(SITE_CARD, optimize=True)
            self.stdout.write(f"Wrote {SITE_CARD.relative_to(settings.BASE_DIR)}")
        for guide in Technique.objects.all():
            ensure_guide_card(guide, force)
        for page in Page.objects.all():
            ensure_page_card(page, force)
        count = Technique.objects.count() + Page.objects.count()
        self.stdout.write(f"Share cards are up to date for {count} guides and pages.")
