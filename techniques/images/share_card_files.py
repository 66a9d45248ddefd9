"""Each guide's and page's share card, kept in media storage.

A card's file name ends in a digest of everything the card shows (title, line under it,
lead picture, design version), so it changes exactly when the card would look different:
saving a guide with a new title or a new lead picture draws a new card, and any other save
finds its card already there. Old cards stay, because old shared links and page history may
still point at them, and the new name means no cache anywhere can serve a stale picture.
"""

import hashlib
import io
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from PIL import Image

from techniques.illustrations import keys as drawing_keys
from techniques.illustrations import render_png
from techniques.images.share_card_drawing import draw_share_card
from techniques.models import Page, Step, Technique

CARD_DIR = "share-cards/"
# Part of every card's digest: change it when the drawing code changes so that
# `render_share_cards` draws every card again.
DESIGN_VERSION = "2"
PICTURE_WIDTH = 800
PAGE_PICTURES = {"cavitation": "cavitation-narrow"}


def lead_picture_ref(guide) -> str:
    """What the card shows on the right: the first step's upload, else its drawing."""
    lead = guide.steps.order_by("order").only("image", "illustration").first()
    if lead is None:
        return ""
    if lead.image:
        return f"upload:{lead.image.name}"
    if lead.illustration in drawing_keys():
        return f"drawing:{lead.illustration}"
    return ""


def load_picture(ref: str) -> Image.Image | None:
    kind, _, value = ref.partition(":")
    if kind == "drawing":
        return render_png(value, PICTURE_WIDTH)
    if kind == "upload":
        try:
            with default_storage.open(value, "rb") as stored:
                picture = Image.open(io.BytesIO(stored.read()))
                picture.load()
                return picture
        except OSError:
            return None
    return None


def card_name(kind: str, slug: str, title: str, subtitle: str, picture_ref: str) -> str:
    digest = hashlib.sha256("\0".join((DESIGN_VERSION, title, subtitle, picture_ref)).encode()).hexdigest()[:16]
    return f"{CARD_DIR}{kind}-{slug}-{digest}.png"


def ensure_card(obj, kind: str, subtitle: str, picture_ref: str, force: bool = False) -> str:
    """Draw and store obj's card if what it shows has changed; record its name on obj."""
    name = card_name(kind, obj.slug, obj.title, subtitle, picture_ref)
    if force or not default_storage.exists(name):
        card = draw_share_card(obj.title, subtitle, load_picture(picture_ref))
        out = io.BytesIO()
        card.save(out, format="PNG", optimize=True)
        if default_storage.exists(name):
            default_storage.delete(name)
        name = default_storage.save(name, ContentFile(out.getvalue()))
    if obj.share_card != name:
        # update(), not save(): a new card is not an editorial change to record in history.
        type(obj).objects.filter(pk=obj.pk).update(share_card=name)
        obj.share_card = name
    return name


def ensure_guide_card(guide, force: bool = False) -> str:
    return ensure_card(guide, "guide", guide.summary, lead_picture_ref(guide), force)


def ensure_page_card(page, force: bool = False) -> str:
    picture = PAGE_PICTURES.get(page.slug)
    return ensure_card(page, "page", page.summary, f"drawing:{picture}" if picture else "", force)


def refresh_guide_card(pk: int) -> None:
    guide = Technique.objects.filter(pk=pk).first()
    if guide is not None:
        ensure_guide_card(guide)


def refresh_page_card(pk: int) -> None:
    page = Page.objects.filter(pk=pk).first()
    if page is not None:
        ensure_page_card(page)


# Cards are drawn after the editor's transaction commits: once for a guide saved with all
# its steps, from what was actually saved, and never for a save that was rolled back.
@receiver(post_save, sender=Technique)
def guide_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(partial(refresh_guide_card, instance.pk))


@receiver(post_save, sender=Step)
@receiver(post_delete, sender=Step)
def step_changed(sender, instance, raw=False, origin=None, **kwargs):
    # A new first step, or a new picture on it, changes the guide's card. When the whole
    # guide is being deleted there is no card to keep.
    if not raw and not isinstance(origin, Technique):
        transaction.on_commit(partial(refresh_guide_card, instance.technique_id))


@receiver(post_save, sender=Page)
def page_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(partial(refresh_page_card, instance.pk))
