"""Uploaded media, served by the app itself when no object storage or CDN serves it.

Every media file name is final: uploads and their variants get random names, and share
cards a digest of what they show, so a changed image always has a new address. That lets
browsers and CDNs keep each file for a year without asking again.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
ONE_YEAR = 60 * 60 * 24 * 365


@require_safe
def serve_media(request, path):
    # Only images are media here; anything else in the folder is not for readers.
    content_type = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("No such image.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name the file system can't even look up (longer than its limit, say) names no file.
        raise Http404("No such image.") from error
    if response.status_code == 200:
        response["Content-Type"] = content_type
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    # Files come from editors' uploads: browsers must never guess another type for them.
    response["X-Content-Type-Options"] = "nosniff"
    return response
