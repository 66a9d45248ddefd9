"""The page cache: whole public pages kept for anonymous readers, filed under the content
version, so that an edit reaches every server and every worker on its next request.

    middleware        PageCacheMiddleware, which serves and stores pages, and the
                      `cacheable_page` mark a public view carries
    content_version   the version pages are filed under: one database row bumped in the
                      same transaction as every edit, and the signals that bump it

Views mark themselves with `cacheable_page`; models share `ContentQuerySet` so that bulk
writes bump the version too. Nothing else needs to know how pages are cached.
"""

from techniques.page_cache.middleware import PageCacheMiddleware, cacheable_page

__all__ = ["PageCacheMiddleware", "cacheable_page"]
