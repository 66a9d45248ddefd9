from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from techniques.models import Page, Technique


class PublishedSitemap(Sitemap):
    """The published rows of a `Publishable` model, each dated by its last change."""

    model = None
    changefreq = "monthly"

    def items(self):
        return self.model.objects.published().order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class GuideSitemap(PublishedSitemap):
    model = Technique
    priority = 0.8


class SitePageSitemap(Sitemap):
    """Home, the guide list, the safety, cavitation, sources and about pages, the list of
    routines and the routine builder."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return [
            "techniques:home",
            "techniques:list",
            "techniques:safety",
            "techniques:cavitation",
            "techniques:sources",
            "techniques:about",
            "routines:list",
            "routines:builder",
        ]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        # Looked up once per sitemap request, not once per URL.
        if not hasattr(self, "_dates"):
            latest_guide = Technique.objects.published().aggregate(latest=Max("updated_at"))["latest"]
            pages = dict(Page.objects.values_list("slug", "updated_at"))
            self._dates = {"latest_guide": latest_guide, **pages}
        slug = name.split(":")[1]
        return self._dates.get(slug) or self._dates["latest_guide"]
