"""WhiteNoise, serving a compressed file only to a client that accepts its coding.

WhiteNoise picks a compressed copy when the coding's name appears anywhere in Accept-Encoding,
so "gzip;q=0", a refusal, got gzip. Here it is shown only the codings the header really allows
(backrelief/accept_encoding.py), and chooses among those as before."""

from types import SimpleNamespace

from whitenoise.middleware import WhiteNoiseMiddleware

from backrelief.accept_encoding import accepts

# What CompressedManifestStaticFilesStorage writes beside each file (.br only with brotli).
CODINGS = ("br", "gzip")


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    @staticmethod
    def serve(static_file, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING", "")
        allowed = ", ".join(coding for coding in CODINGS if accepts(coding, header))
        # WhiteNoise reads only the method and the headers; the request itself stays as sent.
        negotiated = SimpleNamespace(method=request.method, META={**request.META, "HTTP_ACCEPT_ENCODING": allowed})
        return WhiteNoiseMiddleware.serve(static_file, negotiated)
