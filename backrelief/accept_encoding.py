"""Which content codings a request's Accept-Encoding header allows (RFC 9110, section 12.5.3),
for everything that chooses between a compressed and a plain response: cached pages
(techniques/page_cache/middleware.py) and static files (backrelief/static_files.py)."""

import functools
import re

QUALITY = re.compile(r"q=([01](?:\.\d{0,3})?)")


@functools.lru_cache(maxsize=256)
def weights(accept_encoding: str) -> dict[str, float]:
    """Each coding the header names, with its weight. A weight that can't be read counts as 0,
    a refusal. Browsers send a handful of distinct headers, so the answers are kept."""
    found = {}
    for entry in accept_encoding.lower().split(","):
        coding, _, parameters = entry.partition(";")
        coding = coding.strip()
        if not coding:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            parameter = parameter.strip().replace(" ", "")
            if parameter.startswith("q="):
                match = QUALITY.fullmatch(parameter)
                quality = float(match[1]) if match and float(match[1]) <= 1 else 0.0
        found.setdefault("gzip" if coding == "x-gzip" else coding, quality)
    return found


def accepts(coding: str, accept_encoding: str) -> bool:
    """Whether `coding` is allowed: named with a weight above 0, or not named and allowed by
    "*". So "gzip;q=0" refuses gzip, and so does "*;q=0" or a header that names only others."""
    named = weights(accept_encoding)
    return named.get(coding, named.get("*", 0.0)) > 0
