"""The public pages the quality checks (HTML validity, accessibility) go through: every URL in
the sitemap, plus the public pages it leaves out and the "not found" page."""

import re
from urllib.parse import urlsplit

# No page lives here: it is answered by templates/404.html.
NOT_FOUND_PATH = "/no-such-page/"
# Public pages the sitemap leaves out, with the status each answers: a reader-built routine
# (their addresses are endless combinations of the guides), and a routine address that is not one.
UNLISTED_PAGES = {
    "/routines/custom/warm-up+cat-cow~5x8+lying-rotation~x3/": 200,
    "/routines/custom/cat-cow~999/": 400,
}


def sitemap_paths(sitemap_xml: str) -> list[str]:
    """The path of every <loc> in a sitemap, whatever host the sitemap was built for."""
    paths = [urlsplit(url).path for url in re.findall(r"<loc>(.*?)</loc>", sitemap_xml)]
    assert paths, "the sitemap lists no page"
    return paths
