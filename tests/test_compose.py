"""compose.yaml can't be run here (no Docker engine), so it is checked against what it must
agree with: the Dockerfile, the start script, gunicorn.conf.py and the settings' variables."""

import json
import re
import runpy
import tomllib

import dj_database_url
import pytest
import yaml

from backrelief.settings import base
from tests.test_settings import ROOT, run_check

COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
WEB = SERVICES["web"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENTRYPOINT_SCRIPT = (ROOT / "docker-entrypoint.sh").read_text()
# Stand-ins for the variables compose.yaml requires from the environment or .env.
REQUIRED = {"SECRET_KEY": "compose-check-" + "x" * 50, "POSTGRES_PASSWORD": "compose-check-password"}

ENV_READ = re.compile(r"""\b(?:env_\w+|os\.environ\.get|os\.environ\.setdefault|os\.getenv)\(\s*["']([A-Z0-9_]+)["']""")


def variables_the_code_reads():
    files = [ROOT / "manage.py", ROOT / "gunicorn.conf.py"]
    files += [path for package in ("backrelief", "techniques") for path in (ROOT / package).rglob("*.py")]
    names = {name for path in files for name in ENV_READ.findall(path.read_text())}
    # dj_database_url.config() reads DATABASE_URL unless told otherwise.
    return names | {"DATABASE_URL"}


def interpolate(value, env):
    """compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, for the cases used here."""

    def one(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if name in env:
            return env[name]
        if op == ":?":
            raise KeyError(f"{name} is required: {arg}")
        return arg or ""

    return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", one, str(value))


def web_environment(env=REQUIRED):
    return {name: interpolate(value, env) for name, value in WEB["environment"].items()}


def dockerfile(instruction):
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(instruction + " ")]


def test_every_variable_web_sets_is_one_the_code_reads():
    unknown = set(WEB["environment"]) - variables_the_code_reads()
    assert not unknown, f"compose.yaml sets variables nothing reads: {sorted(unknown)}"


def test_web_refuses_to_start_without_its_secrets():
    for name in REQUIRED:
        with pytest.raises(KeyError, match=name):
            web_environment({other: value for other, value in REQUIRED.items() if other != name})


def test_production_settings_load_with_the_compose_environment():
    result = run_check(**web_environment())
    assert result.returncode == 0, result.stderr


def test_web_publishes_the_port_the_image_listens_on():
    (exposed,) = dockerfile("EXPOSE")
    assert re.search(rf"\bPORT={exposed}\b", DOCKERFILE), "the image's PORT and EXPOSE differ"
    assert "PORT" not in WEB["environment"], "the image's PORT is the one EXPOSE names"
    assert [str(port).rsplit(":", 1)[1] for port in WEB["ports"]] == [exposed]


def test_web_runs_the_image_start_script_with_gunicorn_conf():
    (entrypoint,) = dockerfile("ENTRYPOINT")
    assert json.loads(entrypoint) == ["./docker-entrypoint.sh"]
    assert WEB.get("entrypoint") in (None, json.loads(entrypoint)) and "command" not in WEB
    assert WEB["build"] == "."
    assert "exec gunicorn -c gunicorn.conf.py backrelief.wsgi:application" in ENTRYPOINT_SCRIPT
    copied = " ".join(dockerfile("COPY"))
    for needed in ("docker-entrypoint.sh", "gunicorn.conf.py", "manage.py"):
        assert needed in copied, f"the image lacks {needed}"


def test_the_image_holds_every_app_and_the_packages_it_installs():
    """A new app (as routines was) must be copied into the image, or production can't start."""
    copied = {line.split()[0] for line in dockerfile("COPY")}
    assert {"backrelief", *base.PROJECT_APPS} <= copied, copied
    packaged = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert {f"{name}*" for name in ("backrelief", *base.PROJECT_APPS)} <= set(packaged["include"])


def test_web_waits_for_a_healthy_database_and_cache_it_is_pointed_at():
    for name in ("db", "redis"):
        assert WEB["depends_on"][name] == {"condition": "service_healthy"}
        assert SERVICES[name]["healthcheck"]["test"]
    env = web_environment()
    database = dj_database_url.parse(env["DATABASE_URL"])
    db_env = {name: interpolate(value, REQUIRED) for name, value in SERVICES["db"]["environment"].items()}
    assert (database["HOST"], database["PORT"]) == ("db", 5432)
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        db_env["POSTGRES_DB"],
        db_env["POSTGRES_USER"],
        db_env["POSTGRES_PASSWORD"],
    )
    assert SERVICES["db"]["image"] == "postgres:15" and SERVICES["redis"]["image"] == "redis:7"
    assert re.fullmatch(r"redis://redis:6379/\d+", env["REDIS_URL"])


def test_redis_memory_is_capped_and_only_expiring_keys_are_evicted():
    command = SERVICES["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=False))
    assert options["--maxmemory"] == "256mb"
    assert options["--maxmemory-policy"] == "volatile-lru"
    assert "volatile-lru" in (ROOT / "docs" / "operations.md").read_text()


def test_media_and_database_live_in_volumes():
    (workdir,) = dockerfile("WORKDIR")
    media = f"{workdir}/{base.MEDIA_ROOT.relative_to(base.BASE_DIR)}"
    assert f"media:{media}" in WEB["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert {"media", "pgdata"} <= set(COMPOSE["volumes"])


def test_stop_grace_period_lets_gunicorn_finish_requests():
    graceful = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["graceful_timeout"]
    assert int(WEB["stop_grace_period"].removesuffix("s")) > graceful
