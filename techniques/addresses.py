"""Addresses of the site's own pages, reversed once per process rather than on every link.

A page of guide cards or search results links to a dozen or more guides, and reversing a URL
name costs more than the rest of a link. An address only changes with the code or with the
prefix the site is served under, which is part of the key; slugs come from the database,
never from a request, and the memory is bounded anyway.
"""

import functools

from django.urls import get_script_prefix, reverse


@functools.lru_cache(maxsize=4096)
def reversed_address(name: str, prefix: str, slug: str | None) -> str:
    return reverse(name, kwargs={"slug": slug} if slug is not None else None)


def address(name: str, slug: str | None = None) -> str:
    """`reverse(name)`, or `reverse(name, kwargs={"slug": slug})`, worked out once."""
    return reversed_address(name, get_script_prefix(), slug)


def origin(request) -> str:
    """The scheme and host the request came to: absolute links on a page are made with it."""
    return f"{request.scheme}://{request.get_host()}"
