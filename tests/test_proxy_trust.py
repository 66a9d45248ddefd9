"""X-Forwarded-Proto says a request came over HTTPS only when a proxy that the settings name
sent it: FORWARDED_ALLOW_IPS, or the private networks a load balancer sits on when
TRUSTED_PROXY_COUNT says there is one (gunicorn.conf.py). From anyone else it is ignored, so
plain HTTP is redirected to HTTPS and gets no HSTS header and no Secure cookie to misuse.

A real gunicorn with production settings and HTTPS_ONLY on, since the peer's address is
known only to the server.
"""

import http.client

import pytest

from bench.servers import GUNICORN, HOST, Server, production_environment

pytestmark = pytest.mark.servers


def request(port, path, headers):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


@pytest.mark.parametrize(
    "proxy_settings,trusted",
    [
        ({"FORWARDED_ALLOW_IPS": "192.0.2.10"}, False),
        ({"TRUSTED_PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "10.0.0.0/8"}, False),
        ({}, True),  # no proxy named: the server's own host (a proxy on the same machine)
        ({"FORWARDED_ALLOW_IPS": "127.0.0.1"}, True),
    ],
)
def test_x_forwarded_proto_is_trusted_only_from_named_proxies(production_sqlite, proxy_settings, trusted):
    folder, url = production_sqlite
    env = production_environment(url, HTTPS_ONLY="true", WEB_CONCURRENCY="1", GUNICORN_THREADS="1", **proxy_settings)
    server = Server("proxy-trust", env, folder / "server.log", command=GUNICORN).start()
    try:
        response = request(server.port, "/robots.txt", {"Host": HOST, "X-Forwarded-Proto": "https"})
    finally:
        server.stop()
    if trusted:
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    else:
        assert response.status == 301
        assert response.getheader("Location") == f"https://{HOST}/robots.txt"
        assert response.getheader("Strict-Transport-Security") is None
