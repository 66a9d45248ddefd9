import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Left out of the test run's own environment, so that each test says what it sets.
SETTINGS_FROM_ENVIRONMENT = {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PAGE_CACHE"}


def run_manage(*command, **env):
    """manage.py with production settings, in this environment."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_FROM_ENVIRONMENT}
    environment.update(DJANGO_SETTINGS_MODULE="backrelief.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_check(**env):
    return run_manage("check", **env)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check()
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY is required" in result.stderr


def test_production_starts_with_a_secret_key_and_debug_off():
    result = run_check(SECRET_KEY="x" * 50, HTTPS_ONLY="false")
    assert result.returncode == 0, result.stderr
    from django.conf import settings

    assert settings.DEBUG is False


SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps("
    "{'database': s.DATABASES['default'], 'cache': s.CACHES['default'], 'page_cache': s.PAGE_CACHE_ENABLED},"
    " default=str))"
)


def production_settings(**env):
    """The database, cache and page-cache settings production derives from this environment."""
    result = run_manage("shell", "--verbosity", "0", "--command", SHOW_SETTINGS, SECRET_KEY="x" * 50, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_database_url_gives_persistent_health_checked_connections():
    database = production_settings(DATABASE_URL="postgres://app@db.internal:5432/backrelief")["database"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.internal", "backrelief")
    assert database["CONN_MAX_AGE"] == 600 and database["CONN_HEALTH_CHECKS"] is True


def test_redis_url_selects_the_shared_redis_cache():
    cache = production_settings(REDIS_URL="redis://cache.internal:6379/2")["cache"]
    assert cache["BACKEND"] == "backrelief.redis_cache.FailFastRedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    # A stalled Redis must cost a page tens of milliseconds, not freeze it.
    assert cache["OPTIONS"] == {"socket_connect_timeout": 0.05, "socket_timeout": 0.05}


def test_without_redis_each_process_has_a_local_memory_cache_and_the_page_cache_is_on():
    configured = production_settings()
    assert configured["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert configured["page_cache"] is True


def test_page_cache_off_turns_the_page_cache_off():
    assert production_settings(PAGE_CACHE="off")["page_cache"] is False


def test_the_test_settings_scratch_media_folder_is_removed_when_its_process_ends():
    """Every process that loads the test settings (the test run, and commands it runs) makes a
    media folder of its own; each used to stay in /tmp after the run."""
    script = (
        "import os, sys, django; django.setup(); from django.conf import settings; "
        "(settings.MEDIA_ROOT / 'upload.png').write_bytes(b'x'); "
        "child = os.fork(); sys.exit(0) if child == 0 else os.waitpid(child, 0); "
        "print(settings.MEDIA_ROOT.exists(), settings.MEDIA_ROOT)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "backrelief.settings.test"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    kept_after_the_child, folder = result.stdout.split()
    assert kept_after_the_child == "True", "a forked child leaves the folder to its parent"
    assert not Path(folder).exists()
