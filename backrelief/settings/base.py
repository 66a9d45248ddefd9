"""Settings shared by every environment. Secrets and debug switches live in dev, production
and test, never here."""

from pathlib import Path

import dj_database_url

from backrelief.env import env_bool, env_str
from backrelief.media_storage import s3_media_storage
from backrelief.redis_cache import redis_cache_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# The project's own apps. Their models are the site's content: saving any of them changes the
# content version (techniques/page_cache/content_version.py), and the Editors group may edit them all.
CONTENT_APPS = ["techniques", "routines"]
# Every app of the project, content or not: the Docker image must hold each of them.
PROJECT_APPS = [*CONTENT_APPS, "editing"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "simple_history",
    "axes",
    "csp",
    # "editing" (editing together in the admin) is not content: its rows never move the version.
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the Host header: a load balancer asks by IP address.
    "techniques.health.HealthCheckMiddleware",
    "backrelief.static_files.StaticFilesMiddleware",
    # Before the header middleware below, whose headers a page is stored with, and before
    # sessions, CSRF and auth, which a cached page doesn't need.
    "techniques.page_cache.PageCacheMiddleware",
    "backrelief.security.ContentSecurityPolicyMiddleware",
    "backrelief.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Near the view, so that it answers what a view raised (the 503 page) before anything else.
    "backrelief.error_pages.EditRefusedMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed admin logins and refuses further tries once the limit is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "backrelief.urls"
WSGI_APPLICATION = "backrelief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "techniques.context_processors.site",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database. Persistent
# connections with health checks suit PostgreSQL behind gunicorn's long-lived workers.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes SQLite's write lock when it begins, and so waits its turn: begun as
    # a reader, it would fail at once ("database is locked") on its first write if another
    # connection wrote meanwhile, such as a reader's request storing a guide's body.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# A Redis that stalls costs a page at most this long, once (backrelief/redis_cache.py): on the
# same network Redis answers in well under a millisecond.
REDIS_TIMEOUT_MS = int(env_str("REDIS_TIMEOUT_MS", "50"))
# After Redis fails to answer, each process serves pages without it this long, then tries again.
CACHE_BYPASS_SECONDS = 5
if REDIS_URL:
    CACHES = {"default": redis_cache_settings(REDIS_URL, REDIS_TIMEOUT_MS)}
else:
    # Each gunicorn worker has its own; the page cache stays exact because the content
    # version it files pages under is read from the database.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}}

# With Redis, a copy of the content version is kept there too, so that a cached page is served
# without a database round trip (techniques/page_cache/shared_version.py).
CONTENT_VERSION_REDIS_URL = REDIS_URL

# Whole public pages for anonymous readers (techniques/page_cache/middleware.py). PAGE_CACHE=off turns
# it off, e.g. to measure the views themselves.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
# Freshness never depends on this: an edit makes every cached page unreachable at once. It
# only lets pages filed under old versions leave the cache.
PAGE_CACHE_SECONDS = 60 * 60 * 24
# Pages at addresses readers make up themselves (their own routines) stay out of the shared
# cache: each process keeps at most this many, each for this long (techniques/page_cache/middleware.py),
# so no client can fill Redis or push out the pages every reader needs.
PAGE_CACHE_READER_BUILT_ENTRIES = 200
PAGE_CACHE_READER_BUILT_SECONDS = 10 * 60
# For a CDN in front: how long it may reuse a page, and serve it stale while refetching.
PAGE_CACHE_SHARED_MAX_AGE = 60
PAGE_CACHE_STALE_WHILE_REVALIDATE = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# WhiteNoise reads STORAGES; the old STATICFILES_STORAGE setting is ignored on Django 5.2.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "backrelief.static_files.RememberingManifestStorage"},
}

# With several app servers, media goes to object storage; see backrelief/media_storage.py.
MEDIA_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME")
if MEDIA_BUCKET:
    STORAGES["default"] = s3_media_storage(
        bucket=MEDIA_BUCKET,
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL"),
        region=env_str("AWS_S3_REGION_NAME"),
        custom_domain=env_str("AWS_S3_CUSTOM_DOMAIN"),
    )

# The app serves uploaded media itself (with year-long caching) unless it is in object
# storage or SERVE_MEDIA=false says a web server in front serves MEDIA_ROOT.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not MEDIA_BUCKET)

SITE_NAME = "Back Relief"
# Used to build absolute URLs in share tags and the sitemap when a request is not at hand.
SITE_URL = env_str("SITE_URL", "")

# The largest image file an editor may upload, in the admin or the markdown editor
# (techniques/images/uploads.py, which also limits its pixels). Django's own limits follow
# it: form data beyond it is refused, and an upload up to it is held in memory.
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = IMAGE_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = IMAGE_UPLOAD_MAX_BYTES

# Where the markdownx widget sends its preview and image uploads: our own views
# (techniques/editor.py, mounted at these paths in backrelief/urls.py), not markdownx's, so
# markdownx's other settings (its renderer, upload folder, types and sizes) are never read.
MARKDOWNX_URLS_PATH = "/editor/markdown/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/editor/markdown/upload/"

LOGIN_URL = "admin:login"
# Where a sign-in lands when its `next` is missing or refused (another site's address): the
# only people who sign in are editors, and Django's own default, /accounts/profile/, is no page.
LOGIN_REDIRECT_URL = "admin:index"
# The admin's address can be moved away from the well-known /admin/ (ADMIN_URL_PREFIX=office/).
ADMIN_URL_PREFIX = (env_str("ADMIN_URL_PREFIX", "admin/") or "admin/").strip("/") + "/"

# django-axes: failed logins are counted per username and client address; after
# AXES_FAILURE_LIMIT failures that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env_str("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
# Client addresses: see backrelief/client_ip.py and TRUSTED_PROXY_COUNT in the README.
AXES_CLIENT_IP_CALLABLE = "backrelief.client_ip.client_ip"
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy (django-csp 4). No inline scripts anywhere, public pages or admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The admin and its markdown editor set style attributes from their own scripts.
CSP_RELAXED_STYLE_PATHS = ("/" + ADMIN_URL_PREFIX, "/editor/")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), screen-wake-lock=(self)"
)

SIMPLE_HISTORY_REVERT_DISABLED = False

# Load balancers check this address by the server's IP and over plain HTTP behind TLS
# termination, so it answers whatever the Host header and without the HTTPS redirect
# (techniques/health.py, docs/operations.md).
HEALTH_CHECK_PATH = "/healthz"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}, "null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Scanners send made-up Host headers all day; each gets the 400 page, and a traceback
        # per request in the log would bury everything else.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
