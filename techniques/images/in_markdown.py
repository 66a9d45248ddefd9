"""Images in editors' markdown.

An editor adds an image to markdown by uploading it in the editor (techniques.editor),
which stores a cleaned copy and its responsive variants. When the markdown is rendered, at
save time, each such image becomes a `<picture>` with those variants. When it is saved, an
image without alt text, or one that was not uploaded here, is refused: the page's CSP only
loads images from the site, and readers who can't see an image need its description.
"""

import posixpath
from html.parser import HTMLParser

from django.core.files.storage import default_storage

from techniques.images.markup import picture_html
from techniques.images.pictures import Picture
from techniques.images.variants import load_manifest, responsive_image

MARKDOWN_UPLOAD_DIR = "uploads/markdown/"
# Images in running text are as wide as the text column at most.
PROSE_IMAGE_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"


class ImageTags(HTMLParser):
    """Finds every <img> in a piece of HTML, with its position and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append((self.get_starttag_text(), {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def image_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = ImageTags()
    parser.feed(html)
    parser.close()
    return parser.found


def uploaded_name(src: str) -> str | None:
    """The storage name of an image uploaded in the editor, from its URL, or None."""
    prefix = default_storage.url(MARKDOWN_UPLOAD_DIR)
    if not src.startswith(prefix):
        return None
    name = MARKDOWN_UPLOAD_DIR + src[len(prefix) :]
    if posixpath.normpath(name) != name or not name.startswith(MARKDOWN_UPLOAD_DIR):
        return None
    return name


def with_responsive_images(html: str) -> str:
    """Swap each uploaded image's <img> for a <picture> of its variants. `html` is already
    sanitised; the replacement is written by picture_html, which escapes every value."""
    for tag, attrs in image_tags(html):
        name = uploaded_name(attrs.get("src", ""))
        manifest = load_manifest(name) if name else None
        variants = responsive_image(manifest) if manifest else None
        if variants is None:
            continue
        picture = Picture.of_upload(variants, attrs.get("alt", ""))
        html = html.replace(tag, picture_html(picture, PROSE_IMAGE_SIZES), 1)
    return html


def image_problems(html: str) -> list[str]:
    problems = []
    for _, attrs in image_tags(html):
        src = attrs.get("src", "")
        if not attrs.get("alt", "").strip():
            problems.append(
                f"The image {src or '(no address)'} has no alt text. Describe it between the square "
                "brackets, for example ![Person kneeling on a mat, back rounded](…)."
            )
        if not uploaded_name(src):
            problems.append(
                f"The image {src or '(no address)'} is not one uploaded here. Drag the image file into "
                "the editor to upload it; images from other sites are not shown."
            )
    return problems
