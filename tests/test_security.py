import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse, reverse_lazy, set_script_prefix

from backrelief.client_ip import client_ip
from backrelief.security import ContentSecurityPolicyMiddleware
from techniques.models import Source, Technique
from tests.factories import SourceFactory, StepFactory, TechniqueFactory, UserFactory
from tests.html_safety import script_problems
from tests.xss_payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_the_corpus_is_big_enough_and_the_detector_works():
    assert len(XSS_PAYLOADS) >= 40
    assert script_problems('<a href=" JaVa&#115;cript:alert(1)">x</a><img onerror=x><script>1</script>') == [
        "href=' JaVascript:alert(1)' on <a>",
        "event handler onerror= on <img>",
        "<script> element: []",
    ]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markdown_and_source_fields_render_inert(client, payload):
    guide = TechniqueFactory(
        slug="target", title=payload, summary=payload, intro=payload, feel=payload, mistakes=payload, steps=0, sources=0
    )
    StepFactory(technique=guide, order=1, title=payload, instruction=payload, breathing=payload, image_alt=payload)
    source = SourceFactory(title=payload, authors=payload, publisher=payload, summary=payload)
    # Written straight to the database, as if validation had been bypassed.
    Source.objects.filter(pk=source.pk).update(url=payload if ":" in payload else "javascript:alert(1)")
    guide.citations.create(source=source, order=1)
    for url in ["/guides/target/", "/sources/", "/", "/guides/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert script_problems(response.content.decode()) == [], url


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_live_preview_output_is_inert(staff_client, payload):
    response = staff_client.post("/editor/markdown/preview/", {"content": payload})
    assert response.status_code == 200
    assert script_problems(response.content.decode()) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org/x"])
def test_admin_refuses_a_source_url_that_is_not_http(staff_client, url):
    response = staff_client.post(
        reverse("admin:techniques_source_add"),
        {"key": "bad", "title": "Bad", "publisher": "P", "kind": "study", "url": url},
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Source.objects.filter(key="bad").exists()


def test_json_ld_cannot_be_broken_out_of(client):
    TechniqueFactory(slug="sneaky", title="</script><script>alert(1)</script> & <b>")
    html = client.get("/guides/sneaky/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block


HEADER_PAGES = ["/", "/guides/", "/safety/", "/what-is-the-pop/", "/sources/", "/about/", "/guides/cat-cow/"]


@pytest.mark.parametrize("url", [*HEADER_PAGES, "/no-such-page/", "ADMIN"])
def test_pages_and_admin_send_security_headers(client, staff_client, seeded, url):
    response = staff_client.get(reverse("admin:index")) if url == "ADMIN" else client.get(url)
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script_src == "'self'"
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    if url != "ADMIN":
        assert "unsafe-inline" not in csp


def response_through(middleware, path="/guides/", use_nonce=False, status=200, headers=None, **response_attributes):
    request = RequestFactory().get(path)
    middleware.process_request(request)
    if use_nonce:
        str(request.csp_nonce)
    response = HttpResponse("page", status=status, headers=headers)
    for name, value in response_attributes.items():
        setattr(response, name, value)
    return middleware.process_response(request, response), request


def policy_of(middleware, path="/guides/", **case):
    response, request = response_through(middleware, path, **case)
    return response["Content-Security-Policy"], request


def directives(policy):
    return sorted(part.strip() for part in policy.split(";"))


REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}}


@pytest.mark.parametrize(
    "case",
    [
        {},
        {"_csp_update": {"style-src": ["'unsafe-inline'"]}},
        {"_csp_replace": {"img-src": ["'self'"]}},
        {"use_nonce": True},
        {"report_only": REPORT_ONLY},
        {"report_only": REPORT_ONLY, "_csp_update_ro": {"img-src": ["data:"]}},
        {"report_only": REPORT_ONLY, "_csp_exempt_ro": True},
        {"_csp_exempt": True},
        {"headers": {"Content-Security-Policy": "default-src 'none'"}},
        {"report_uri": "/csp-reports/"},
        {"debug": True, "status": 404},
        {"debug": True, "status": 500},
        {"debug": True},
    ],
    ids=[
        "the site's policy",
        "updated",
        "replaced",
        "with a nonce",
        "report-only too",
        "report-only updated",
        "report-only exempt",
        "exempt",
        "a header already set",
        "with a report address",
        "DEBUG's 404",
        "DEBUG's 500",
        "DEBUG's page",
    ],
)
def test_the_policy_built_once_is_the_one_django_csp_builds(settings, case):
    case = dict(case)
    directives_set = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]}
    if report_uri := case.pop("report_uri", None):
        directives_set["report-uri"] = report_uri
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives_set}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = case.pop("report_only", None)
    settings.DEBUG = case.pop("debug", False)
    ours, theirs = ContentSecurityPolicyMiddleware(lambda r: None), CSPMiddleware(lambda r: None)
    for _ in range(2):  # built, then remembered
        sent = []
        for middleware in (ours, theirs):
            response, request = response_through(middleware, **case)
            nonce = getattr(request, "_csp_nonce", None)
            policies = [response.get(header) for header in (HEADER, HEADER_REPORT_ONLY)]
            assert ("nonce" in (policies[0] or "")) == bool(case.get("use_nonce"))
            if nonce:
                assert f"'nonce-{nonce}'" in policies[0]
            sent.append([policy and directives(policy.replace(str(nonce), "the nonce")) for policy in policies])
            if not case.get("use_nonce") and not (settings.DEBUG and case.get("status")):
                # Once the header is written, a template asking for a nonce is an error, not a gap.
                with pytest.raises(CSPNonceError):
                    str(request.csp_nonce)
        assert sent[0] == sent[1]
    if settings.DEBUG and case.get("status"):
        assert sent[0] == [None, None]  # the debug pages' inline styles must work


def test_the_policy_follows_the_settings(settings):
    middleware = ContentSecurityPolicyMiddleware(lambda r: None)
    assert "img-src 'self' data:" in policy_of(middleware)[0]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert policy_of(middleware)[0] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/guides/"],
        "DIRECTIVES": {"default-src": ["'none'"]},
    }
    with pytest.raises(KeyError):
        policy_of(middleware, "/guides/")
    assert policy_of(middleware, "/routines/")[0] == "default-src 'none'"


def test_a_lazy_report_address_follows_the_script_prefix(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": reverse_lazy("techniques:list")}
    }
    middleware = ContentSecurityPolicyMiddleware(lambda r: None)
    assert policy_of(middleware)[0].endswith("report-uri /guides/")
    set_script_prefix("/back-relief/")
    try:
        assert policy_of(middleware)[0].endswith("report-uri /back-relief/guides/")
    finally:
        set_script_prefix("/")


def test_the_admin_alone_may_set_styles_inline(client, staff_client, seeded):
    admin_policy = staff_client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert re.search(r"style-src 'self' 'unsafe-inline'(;|$)", admin_policy)
    assert re.search(r"style-src 'self'(;|$)", client.get("/guides/")["Content-Security-Policy"])


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"HTTPS_ONLY", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="backrelief.settings.production",
        SECRET_KEY="check-deploy-" + "".join(map(chr, range(65, 123))),
        ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_admin_prefix_comes_from_the_environment():
    env = {**os.environ, "ADMIN_URL_PREFIX": "office"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "/office/", result.stderr


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_out():
    UserFactory(username="ed", is_staff=True)
    browser = Client(REMOTE_ADDR="203.0.113.9")
    login = reverse("admin:login")
    for _ in range(3):
        response = browser.post(login, {"username": "ed", "password": "wrong"})
    assert response.status_code == 429
    locked = browser.post(login, {"username": "ed", "password": "correct horse battery staple"})
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    other_address = Client(REMOTE_ADDR="198.51.100.7")
    ok = other_address.post(login, {"username": "ed", "password": "correct horse battery staple"})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    "proxies,forwarded,expected",
    [
        (0, "1.1.1.1", "10.0.0.1"),
        (1, "6.6.6.6, 2.2.2.2", "2.2.2.2"),
        (2, "6.6.6.6, 3.3.3.3, 2.2.2.2", "3.3.3.3"),
        (2, "2.2.2.2", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def make_editor(username="editor1"):
    os.environ["EDITOR_PASSWORD"] = "a-long-editor-passphrase-42"
    try:
        call_command("create_editor", username, verbosity=0)
    finally:
        del os.environ["EDITOR_PASSWORD"]
    user = get_user_model().objects.get(username=username)
    assert user.is_staff and not user.is_superuser and user.check_password("a-long-editor-passphrase-42")
    browser = Client()
    browser.force_login(user)
    return browser


def test_editors_manage_content_but_not_users(db):
    editors = Group.objects.get(name="Editors")
    assert not editors.permissions.filter(content_type__app_label="auth").exists()
    assert editors.permissions.filter(codename="change_technique").exists()
    browser = make_editor()
    guide = TechniqueFactory()
    assert browser.get(reverse("admin:techniques_technique_change", args=[guide.pk])).status_code == 200
    assert browser.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert browser.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert browser.get(reverse("admin:auth_user_add")).status_code == 403


def test_healthz_reports_the_database_without_details(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    with mock.patch("techniques.health.connection.cursor", side_effect=DatabaseError("secret host db-7")):
        broken = client.get("/healthz")
    assert broken.status_code == 503
    assert broken.json() == {"status": "unavailable"}
    assert "secret" not in broken.content.decode()


def test_sources_link_only_with_http_urls(client):
    source = SourceFactory()
    TechniqueFactory(slug="linked", sources=0).citations.create(source=source, order=1)
    Source.objects.filter(pk=source.pk).update(url="javascript:alert(1)")
    assert Technique.objects.get(slug="linked")
    assert "javascript:" not in client.get("/guides/linked/").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_a_sign_in_with_a_refused_next_lands_on_the_admin_index(db, next_url):
    UserFactory(username="ed", is_staff=True)
    login = reverse("admin:login")
    response = Client().post(f"{login}?next={next_url}", {"username": "ed", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("host", ["evil.example", "10.1.2.3", "127.0.0.1.evil.example", "[::2]:8000"])
def test_a_host_outside_allowed_hosts_gets_the_400_page_not_a_500(client, seeded, host):
    for url in ["/", "/guides/", "/guides/cat-cow/", "/safety/", "/routines/", "/no-such-page/", "/sitemap.xml"]:
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 400, (url, response.status_code)
        page = response.content.decode()
        assert "That request didn't make sense to us" in page
        assert host not in page and "noindex" in page


@pytest.mark.parametrize("host", ["10.1.2.3", "10.1.2.3:8000", "evil.example", ""])
def test_healthz_answers_a_load_balancer_asking_by_ip_over_plain_http(client, db, settings, host):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # Every other address still goes to HTTPS, and still checks the host.
    assert client.get("/about/", HTTP_HOST="testserver").status_code == 301
