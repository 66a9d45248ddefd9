"""Checking and cleaning uploaded images, for every upload path on the site.

The type is decided by decoding the file with Pillow, never by its name or Content-Type.
An accepted image is turned upright from its EXIF orientation and re-encoded, which drops
all metadata (GPS included), and it is stored under a random name whose extension comes
from the decoded format.
"""

import io
import secrets
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

# Far below Pillow's own bomb limit, which only warns between one and two times its value.
MAX_PIXELS = 40_000_000
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
NAME_EXTENSIONS = {"jpg", "jpeg", "jpe", "jfif", "png", "webp", "avif"}
ACCEPTED = "JPEG, PNG, WebP or AVIF"


def too_many_pixels(size: tuple[int, int] | None = None) -> ValidationError:
    described = f"This image is {size[0]}×{size[1]} pixels, more" if size else "This image has more pixels"
    return ValidationError(
        f"{described} than the {MAX_PIXELS // 1_000_000} megapixels we accept. Resize it and upload it again.",
        code="too_many_pixels",
    )


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow only warns for images between one and two times its own limit; here
        # that warning is an error, like the bomb error above it.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(EXTENSIONS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(
                f"This file is not an image we accept. Upload a {ACCEPTED} image.", code="not_an_image"
            ) from None
        if image.size[0] * image.size[1] > MAX_PIXELS:
            raise too_many_pixels(image.size)
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
            raise ValidationError(
                "This image is damaged or incomplete and could not be read. Export it again and retry.",
                code="damaged",
            ) from None
    return image


def upload_limits() -> str:
    """What an editor may upload, in words, for help texts."""
    return f"{ACCEPTED}, up to {filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES)}"


def clean_image_upload(upload) -> ContentFile:
    """Validate an uploaded file and return a cleaned copy ready to save, or raise
    ValidationError with a message an editor can act on."""
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension and extension not in NAME_EXTENSIONS:
        # The contents decide the type, but a file named .html or .svg that decodes as an
        # image is a polyglot made to be opened as something else: refuse it outright.
        raise ValidationError(
            f"A file named .{extension} is not an image we accept. Upload a {ACCEPTED} image.",
            code="wrong_extension",
        )
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    image = _decode(data)
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    save_options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True}}
    # No exif, icc or xmp arguments: the re-encoded file carries no metadata.
    upright.save(out, format=image_format, **save_options.get(image_format, {}))
    name = f"{secrets.token_urlsafe(12)}.{EXTENSIONS[image_format]}"
    cleaned = ContentFile(out.getvalue(), name=name)
    cleaned.image_size = upright.size
    return cleaned
