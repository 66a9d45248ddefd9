from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from techniques.share_cards import draw_share_card

SITE_CARD = Path(settings.BASE_DIR) / "static" / "img" / "share-card.png"


class Command(BaseCommand):
    help = "Draw the site-wide share card (static/img/share-card.png)."

    def handle(self, *args, **options):
        card = draw_share_card(
            "Ease a stiff upper back, gently and safely",
            "Illustrated step-by-step guides, clear safety limits, and the truth about the pop.",
        )
        card.save(SITE_CARD, optimize=True)
        self.stdout.write(f"Wrote {SITE_CARD.relative_to(settings.BASE_DIR)}")
