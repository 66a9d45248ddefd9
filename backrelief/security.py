"""Response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith(settings.CSP_RELAXED_STYLE_PATHS):
            # Read by django-csp's middleware, which runs after this one on the way out.
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
