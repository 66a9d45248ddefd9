"""Image files for upload tests: good ones, a phone photo, and a set of hostile files."""

import io
from functools import lru_cache

from django.conf import settings
from PIL import Image

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825
EXIF_MAKE = 0x010F


def image_bytes(size=(40, 20), fmt="JPEG", color="teal", mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def photo_bytes(size=(2000, 1500)) -> bytes:
    """A photo-like JPEG: a smooth gradient, so its smaller copies really are smaller."""
    gradient = Image.linear_gradient("L").resize(size)
    photo = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92)
    return out.getvalue()


def phone_photo() -> bytes:
    """A 60×30 JPEG as a phone stores a portrait photo: pixels sideways, EXIF orientation 6
    (turn 90° clockwise to view), the phone's make and a GPS position."""
    image = Image.new("RGB", (60, 30), "white")
    # A red band on the left of the stored pixels is at the top once turned upright.
    image.paste((255, 0, 0), (0, 0, 10, 30))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[EXIF_MAKE] = "PhoneMaker"
    exif.get_ifd(EXIF_GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


@lru_cache(maxsize=1)
def decompression_bomb() -> bytes:
    """A tiny PNG of about 1.2 times Pillow's pixel limit: Pillow only warns about it."""
    side = int((Image.MAX_IMAGE_PIXELS * 1.2) ** 0.5)
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
HTML_PAGE = b"<!doctype html><html><body><script>fetch('/admin/').then(r=>r.text())</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\n%%EOF\n"


def hostile_files() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, contents, Content-Type the client claims)."""
    jpeg = photo_bytes((400, 300))
    return {
        "html labelled as a JPEG": ("photo.jpg", HTML_PAGE, "image/jpeg"),
        "script labelled as a PNG": ("image.png", b"<script>alert(1)</script>", "image/png"),
        "SVG with script": ("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        "SVG with script named .png": ("drawing.png", SVG_WITH_SCRIPT, "image/png"),
        "PNG named .html": ("page.html", image_bytes(fmt="PNG"), "text/html"),
        "truncated JPEG": ("cut-short.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"),
        "decompression bomb": ("bomb.png", decompression_bomb(), "image/png"),
        "PDF": ("scan.pdf", PDF, "application/pdf"),
        "PDF named .jpg": ("scan.jpg", PDF, "image/jpeg"),
        "EPS named .png": ("art.png", EPS, "image/png"),
        "empty file": ("empty.jpg", b"", "image/jpeg"),
        "oversized file": ("huge.jpg", jpeg + b"\0" * (settings.IMAGE_UPLOAD_MAX_BYTES + 1 - len(jpeg)), "image/jpeg"),
    }
