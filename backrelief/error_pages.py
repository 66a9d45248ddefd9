"""The site's own 400, 403, 404 and 500 pages.

Django's default handlers first run the CSRF check, so that an error page could hold a form
with a CSRF token. Ours hold none, and that check is what can fail: a form posted in a
charset Django can't read (charset=utf-16) raises again inside the 400 handler, and the
reader got an empty 500. These render the templates straight away. The 400 page is also
what a Host outside ALLOWED_HOSTS gets, so no error page builds an absolute address.

An edit refused because Redis can't take the content version's pending mark gets the 503 page
(EditRefusedMiddleware): the editor learns that nothing was saved and why, not a 500.
"""

from django.http import HttpResponse
from django.template import loader

from techniques.page_cache.shared_version import EditRefused

# How long an editor is asked to wait: past the cache bypass (backrelief/redis_cache.py).
RETRY_AFTER_SECONDS = 30


def error_page(request, status: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(f"{status}.html", request=request), status=status)


def bad_request(request, exception):
    return error_page(request, 400)


def permission_denied(request, exception):
    return error_page(request, 403)


def page_not_found(request, exception):
    return error_page(request, 404)


def server_error(request):
    # Without the request: the page must render even when what broke is the request's own state.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class EditRefusedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, EditRefused):
            return None
        response = error_page(request, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
