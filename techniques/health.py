"""/healthz for load balancers: is the database reachable? Nothing more is said, so the
answer leaks no versions, hosts or errors.

A load balancer asks by the server's IP address, which is not in ALLOWED_HOSTS, and over
plain HTTP when it terminates TLS itself. So the check is answered by a middleware placed
before anything that reads the Host header (Django refuses unknown hosts when it is first
read), and settings exempt its path from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == settings.HEALTH_CHECK_PATH:
            return healthz(request)
        return self.get_response(request)
