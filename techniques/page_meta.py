"""What a page says about itself in its <title>, meta description and share tags."""

from django.core.files.storage import default_storage


def page_meta(title, description, kind="website", share_card=""):
    """Title and description for the page's <title>, meta description and share tags, and
    the page's own share card if it has one (the site's card is used otherwise)."""
    meta = {"title": title, "description": description, "type": kind}
    if share_card:
        meta["image"] = default_storage.url(share_card)
        meta["image_alt"] = f"{title}, on a Back Relief card"
    return meta
