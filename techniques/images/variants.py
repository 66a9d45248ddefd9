"""Responsive variants of uploaded raster images, made once when an image is saved.

An uploaded image is stored once, already cleaned (see `techniques.images.uploads`). From it this
module makes smaller copies at a few widths, in AVIF and WebP for browsers that read them
and in JPEG or PNG for those that don't, and writes them to the same storage as the
original (local media or S3). What was made is described by a small JSON manifest that is
kept beside the image (in the Step row, or as a `.json` file for images in markdown), so
a page can write its `<picture>` element without touching storage on each request.

A variant that would be no smaller than the original is not kept: the original already
serves that size better. AVIF is offered only when it is smaller than WebP for the image.
"""

import io
import json
import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image

WIDTHS = (480, 960, 1440)
VARIANTS_DIR = "variants/"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: there are four
class Encoding:
    mime: str
    pillow_format: str
    extension: str
    options: dict


AVIF = Encoding("image/avif", "AVIF", "avif", {"quality": 50, "speed": 7})
WEBP = Encoding("image/webp", "WEBP", "webp", {"quality": 78, "method": 4})
JPEG = Encoding("image/jpeg", "JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True})
PNG = Encoding("image/png", "PNG", "png", {"optimize": True})
# Best first: a browser takes the first <source> whose type it reads.
MODERN = (AVIF, WEBP)
ORIGINAL_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif"}


@dataclass(frozen=True)
class ResponsiveImage:
    """What a template needs to write one image: modern sources and a fallback."""

    src: str
    srcset: str
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset), best first
    width: int
    height: int


def target_widths(width: int) -> list[int]:
    """The widths to make for an image `width` pixels wide: never wider than the original."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def fallback_encoding(image: Image.Image) -> Encoding:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    return PNG if has_alpha else JPEG


def encode(image: Image.Image, encoding: Encoding) -> bytes:
    if encoding is JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=encoding.pillow_format, **encoding.options)
    return out.getvalue()


def total_bytes(copies: list[tuple[int, bytes]]) -> int:
    return sum(len(data) for _, data in copies)


def make_variants(name: str, storage: Storage = default_storage) -> dict:
    """Make and store the variants of the stored image `name`; return its manifest."""
    with storage.open(name, "rb") as stored:
        original_bytes = stored.read()
    original = Image.open(io.BytesIO(original_bytes))
    original.load()
    width, height = original.size
    stem = posixpath.splitext(posixpath.basename(name))[0]
    original_mime = ORIGINAL_TYPES[original.format]
    encoded: dict[Encoding, list[tuple[int, bytes]]] = {}
    resized = original
    # Widest first, each copy shrunk from the one before: much faster than from a phone's
    # 12 megapixels each time, and no visible difference at these ratios.
    for target in reversed(target_widths(width)):
        if target != resized.width:
            resized = resized.resize((target, round(height * target / width)), Image.LANCZOS)
        for encoding in (*MODERN, fallback_encoding(original)):
            if target == width and encoding.mime == original_mime:
                continue  # The original itself is that file.
            data = encode(resized, encoding)
            if len(data) < len(original_bytes):
                encoded.setdefault(encoding, []).append((target, data))
    if AVIF in encoded and WEBP in encoded and total_bytes(encoded[AVIF]) >= total_bytes(encoded[WEBP]):
        # Browsers take AVIF first; it is only worth offering when it is the smaller.
        del encoded[AVIF]
    formats: dict[str, list[list]] = {}
    for encoding, copies in encoded.items():
        for target, data in sorted(copies):
            stored_name = storage.save(f"{VARIANTS_DIR}{stem}-{target}.{encoding.extension}", ContentFile(data))
            formats.setdefault(encoding.mime, []).append([target, stored_name])
    if width <= WIDTHS[-1] or original_mime not in formats:
        formats.setdefault(original_mime, []).append([width, name])
    return {"original": name, "width": width, "height": height, "formats": formats}


def responsive_image(manifest: dict, storage: Storage = default_storage) -> ResponsiveImage | None:
    """The `<picture>` data for a manifest made by `make_variants`, or None if it has none."""
    if not manifest or not manifest.get("formats"):
        return None

    def srcset(entries):
        return ", ".join(f"{storage.url(name)} {width}w" for width, name in sorted(entries))

    formats = manifest["formats"]
    modern = tuple((e.mime, srcset(formats[e.mime])) for e in MODERN if e.mime in formats)
    fallback_mime = next((m for m in (JPEG.mime, PNG.mime) if m in formats), None)
    fallback = sorted(formats[fallback_mime]) if fallback_mime else [[manifest["width"], manifest["original"]]]
    # The plain src is for browsers without srcset: a middle size, not the largest.
    _, src_name = next((entry for entry in fallback if entry[0] >= 960), fallback[-1])
    return ResponsiveImage(
        src=storage.url(src_name),
        srcset=srcset(fallback),
        sources=modern,
        width=manifest["width"],
        height=manifest["height"],
    )


def manifest_name(image_name: str) -> str:
    return f"{VARIANTS_DIR}{posixpath.splitext(posixpath.basename(image_name))[0]}.json"


def save_manifest(manifest: dict, storage: Storage = default_storage) -> str:
    """Keep a manifest beside an image that has no database row of its own (markdown images)."""
    return storage.save(manifest_name(manifest["original"]), ContentFile(json.dumps(manifest).encode()))


def load_manifest(image_name: str, storage: Storage = default_storage) -> dict | None:
    name = manifest_name(image_name)
    try:
        with storage.open(name, "rb") as stored:
            return json.loads(stored.read())
    except (OSError, ValueError):
        return None
