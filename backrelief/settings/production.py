"""Production: everything that matters comes from the environment, and a missing secret
stops the server instead of running with a guessable one."""

from backrelief.env import env_bool, env_list, env_required
from backrelief.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_required(
    "SECRET_KEY",
    "set it to a long random string, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS_ONLY=false turns these off for a local run over plain HTTP.
HTTPS_ONLY = env_bool("HTTPS_ONLY", True)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
# Whether a request came over HTTPS is the WSGI server's answer (wsgi.url_scheme). gunicorn
# takes it from X-Forwarded-Proto only when a proxy named by FORWARDED_ALLOW_IPS sent it, or
# by TRUSTED_PROXY_COUNT's private networks (gunicorn.conf.py). SECURE_PROXY_SSL_HEADER is
# left unset on purpose: Django would believe that header from any client, and give plain
# HTTP HSTS and Secure cookies and no redirect.

WHITENOISE_MAX_AGE = 60 * 60
