from django.contrib.sitemaps import Sitemap

from routines.models import Routine


class RoutineSitemap(Sitemap):
    """The curated routines. Reader-built ones are endless combinations of the guides, so none is listed."""

    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Routine.objects.published().order_by("slug")

    def lastmod(self, routine):
        return routine.updated_at
