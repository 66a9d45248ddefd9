"""Fast, isolated test runs."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from backrelief.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests that use Redis say so themselves (tests/test_shared_version.py).
CONTENT_VERSION_REDIS_URL = ""
# Tests don't need hashed static names; the manifest only exists after collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Uploads, variants and share cards made by tests go to a scratch folder, never ./media,
# removed when the process that made it ends: the test run, or a command it runs with these
# settings. Not by a process forked from it (a server's worker), which shares the folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="backrelief-test-media-"))
_MEDIA_ROOT_MADE_BY = os.getpid()
atexit.register(lambda: os.getpid() == _MEDIA_ROOT_MADE_BY and shutil.rmtree(MEDIA_ROOT, ignore_errors=True))
