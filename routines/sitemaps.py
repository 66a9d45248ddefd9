from routines.models import Routine
from techniques.sitemaps import PublishedSitemap


class RoutineSitemap(PublishedSitemap):
    """The curated routines. Reader-built ones are endless combinations of the guides, so none is listed."""

    model = Routine
    priority = 0.7
