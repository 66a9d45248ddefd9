import re

import pytest

pytestmark = pytest.mark.django_db


def test_sitemap_lists_at_least_16_public_pages_that_all_answer(client, seeded):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    urls = re.findall(r"<loc>(.*?)</loc>", xml)
    assert len(urls) >= 16
    assert xml.count("<lastmod>") == len(urls)
    for url in urls:
        assert client.get(url.replace("http://testserver", "")).status_code == 200, url


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
