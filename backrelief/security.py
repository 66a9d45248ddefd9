"""Response headers that Django's SecurityMiddleware does not set, and django-csp's
Content-Security-Policy with the site's own policy built once."""

import copy

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

from techniques.django_internals import csp_nonce_used, seal_csp_nonce

# What a view or a middleware sets on a response to change its policy or leave it out (django-csp).
POLICY_CHANGES = tuple(
    f"_csp_{change}{report_only}" for change in ("config", "update", "replace", "exempt") for report_only in ("", "_ro")
)
POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, writing the site's own policy from a string built once.

    django-csp builds the header from the settings for every response: copies, a join and a
    dataclass made into dicts, 0.03 ms, a fifth of what a page costs before its view does
    anything. The site's policy depends only on the settings. A response with a policy change
    of its own (the admin's, above), a page that used a nonce, settings with excluded
    prefixes or any report address, and every response under DEBUG still go through
    django-csp as they are."""

    # (the settings the policies were built from, the policies), set together in one
    # attribute, so that a thread never reads one of a pair and the other of another.
    built = (None, None)

    def process_response(self, request, response):
        policies = self.site_policies()
        if (
            policies is None
            or settings.DEBUG
            or csp_nonce_used(request)
            or any(hasattr(response, change) for change in POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        for header, policy in policies:
            if policy:
                response.headers.setdefault(header, policy)
        seal_csp_nonce(request)
        return response

    def site_policies(self):
        """The headers of the site's policy, or None if django-csp must look at each response."""
        configured = tuple(getattr(settings, name, None) or {} for name in POLICY_SETTINGS)
        built_from, policies = self.built
        if configured != built_from:  # built again when tests override the settings
            policies = None if any(map(needs_each_response, configured)) else build_site_policies()
            # A copy: settings changed in place must not look like the ones built from.
            self.built = (copy.deepcopy(configured), policies)
        return policies


def needs_each_response(policy) -> bool:
    """Whether django-csp must build this policy for each response: excluded prefixes depend
    on the address, and a report address may be lazy (reverse_lazy), made with the request's
    script prefix. Any report address, lazy or not: the site sets none."""
    return "EXCLUDE_URL_PREFIXES" in policy or "report-uri" in (policy.get("DIRECTIVES") or {})


def build_site_policies():
    return ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
