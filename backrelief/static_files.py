"""Static files in production: WhiteNoise's compressed files with hashed names, each served
only to a client that accepts its coding, and each file's URL worked out once.

WhiteNoise picks a compressed copy when the coding's name appears anywhere in Accept-Encoding,
so "gzip;q=0", a refusal, got gzip. Here it is shown only the codings the header really allows
(backrelief/accept_encoding.py), and chooses among those as before."""

from types import SimpleNamespace

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

from backrelief.accept_encoding import accepts

# What CompressedManifestStaticFilesStorage writes beside each file (.br only with brotli).
CODINGS = ("br", "gzip")
# Templates name a few dozen files; the bound only matters if a name ever came from outside.
REMEMBERED_URLS = 1024


class RememberingManifestStorage(CompressedManifestStaticFilesStorage):
    """Remembers each file's URL. Every page links its stylesheet, scripts and icons with
    {% static %}, and the storage works each one out again every time (a manifest lookup, a
    urljoin and an unquote: about 9 µs, 4% of an uncached guide page's CPU). A name's URL
    changes only with the manifest, which is read when the storage is made and written again
    only by collectstatic (post_process, which forgets the URLs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = {}

    def post_process(self, *args, **kwargs):
        self.urls.clear()
        yield from super().post_process(*args, **kwargs)
        self.urls.clear()

    def url(self, name, force=False):
        if settings.DEBUG and not force:
            # Unhashed names, as in development, and tests may switch DEBUG on and off.
            return super().url(name, force)
        try:
            return self.urls[name, force]
        except KeyError:
            url = super().url(name, force)  # a name not in the manifest raises, and is not kept
        if len(self.urls) < REMEMBERED_URLS:
            self.urls[name, force] = url
        return url


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    @staticmethod
    def serve(static_file, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING", "")
        allowed = ", ".join(coding for coding in CODINGS if accepts(coding, header))
        # WhiteNoise reads only the method and the headers; the request itself stays as sent.
        negotiated = SimpleNamespace(method=request.method, META={**request.META, "HTTP_ACCEPT_ENCODING": allowed})
        return WhiteNoiseMiddleware.serve(static_file, negotiated)
