"""The HTML of a picture and of its credit line, written in Python rather than in an included
template: a guide or routine page shows one per step, and an `{% include %}` costs several
times what the markup itself does (docs/benchmarks.md, "What a render costs"). Every value
goes through format_html, which escapes it, as a template would.

An animated drawing names its still version for reduced motion and print: Chromium ignores
prefers-reduced-motion inside an SVG shown as an image, so the page picks the file.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from techniques.images.pictures import Credit, Picture


def picture_html(picture: Picture, sizes: str = "", *, eager: bool = False, load_now: bool = False) -> SafeString:
    """One image with its responsive variants. `sizes`: how wide the image is shown; `eager`:
    the first image of the page; `load_now`: not lazy, for images that paper needs (a lazy
    image below the screen prints blank)."""
    srcset = format_html(' srcset="{}" sizes="{}"', picture.srcset, sizes) if picture.srcset else ""
    loading = ' fetchpriority="high"' if eager else ("" if load_now else ' loading="lazy"')
    img = format_html(
        '<img src="{}"{} alt="{}" width="{}" height="{}"{} decoding="async">',
        picture.url,
        srcset,
        picture.alt,
        picture.width,
        picture.height,
        mark_safe(loading),  # noqa: S308 - one of three fixed strings
    )
    if not (picture.sources or picture.still_url):
        return img
    still = (
        format_html(
            '<source media="print, (prefers-reduced-motion: reduce)" srcset="{}" width="{}" height="{}">',
            picture.still_url,
            picture.width,
            picture.height,
        )
        if picture.still_url
        else ""
    )
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">', ((kind, set_, sizes) for kind, set_ in picture.sources)
    )
    return format_html("<picture>{}{}{}</picture>", still, sources, img)


def credit_html(credit: Credit | None) -> SafeString:
    """Who made an image, as a caption, or nothing for the site's own drawings."""
    if credit is None:
        return mark_safe("")
    return format_html(
        '<figcaption class="credit">Image{}{}{}</figcaption>',
        format_html(": {}", credit.author) if credit.author else "",
        format_html(" · {}", credit.licence) if credit.licence else "",
        format_html(' · <a href="{}" rel="noopener noreferrer">original image</a>', credit.url) if credit.url else "",
    )
