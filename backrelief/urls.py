from functools import partial

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from editing.recent_changes import recent_changes
from routines.sitemaps import RoutineSitemap
from techniques.editor import markdown_preview, markdown_upload
from techniques.images.serving import serve_media
from techniques.sitemaps import GuideSitemap, SitePageSitemap
from techniques.views import favicon

admin.site.site_header = "Back Relief editors"
admin.site.site_title = "Back Relief admin"
admin.site.index_title = "Guides and pages"

SITEMAPS = {"guides": GuideSitemap, "pages": SitePageSitemap, "routines": RoutineSitemap}

urlpatterns = [
    # Before the admin's own URLs, which would take "recent-changes/" for an app's name.
    path(
        settings.ADMIN_URL_PREFIX + "recent-changes/",
        admin.site.admin_view(partial(recent_changes, admin_site=admin.site)),
        name="editing_recent_changes",
    ),
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    # The markdownx widget sends its requests to the paths in these settings.
    path(settings.MARKDOWNX_URLS_PATH.lstrip("/"), markdown_preview, name="markdownx_markdownify"),
    path(settings.MARKDOWNX_UPLOAD_URLS_PATH.lstrip("/"), markdown_upload, name="markdownx_upload"),
    # Who else is editing (editing/presence.py): staff only, CSRF-protected.
    path("editor/presence/", include("editing.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("favicon.ico", favicon),
    path("routines/", include("routines.urls")),
    path("", include("techniques.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path(settings.MEDIA_URL.lstrip("/") + "<path:path>", serve_media, name="media")]

handler400 = "backrelief.error_pages.bad_request"
handler403 = "backrelief.error_pages.permission_denied"
handler404 = "backrelief.error_pages.page_not_found"
handler500 = "backrelief.error_pages.server_error"
