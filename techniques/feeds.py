"""An Atom feed of new and updated guides, for feed readers: the most recently updated
published guides, each with its summary and its first publication and last update times."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.http import require_safe

from techniques.models import Technique
from techniques.page_cache import cacheable_page

FEED_LENGTH = 20


class GuideFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: new and updated guides"
    subtitle = "Guides for easing upper-back stiffness, newest update first."
    link = reverse_lazy("techniques:list")
    feed_url = reverse_lazy("techniques:feed")
    author_name = settings.SITE_NAME

    def items(self):
        guides = Technique.objects.published().only("slug", "title", "summary", "published_at", "updated_at")
        return guides.order_by("-updated_at", "title")[:FEED_LENGTH]

    def item_title(self, guide):
        return guide.title

    def item_description(self, guide):
        # Atom's <summary type="html"> is read as HTML; a summary is plain text.
        return escape(guide.summary)

    def item_pubdate(self, guide):
        return guide.published_at

    def item_updateddate(self, guide):
        return guide.updated_at


# Through the page cache: every anonymous reader gets the same feed, and any edit to a guide
# moves the content version on, so the next request builds it afresh.
guide_feed = cacheable_page(require_safe(GuideFeed()))
