"""A guide page, with the stylesheet and scripts it loads, stays under 30 KB on the wire."""

import gzip
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from techniques.models import Technique

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 30 * 1024


def static_files_loaded_by(html):
    urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script[^>]* src="([^"]+)"', html)
    return [Path(finders.find(url.removeprefix(settings.STATIC_URL))) for pair in urls for url in pair if url]


def test_the_biggest_guide_page_with_its_css_and_js_fits_the_budget(client, seeded):
    pages = [
        client.get(guide.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br") for guide in Technique.objects.published()
    ]
    page = max(pages, key=lambda response: len(response.content))
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    assets = static_files_loaded_by(html)
    assert any(path.suffix == ".css" for path in assets)

    # The page as the app sends it, and static files as WhiteNoise sends them to browsers
    # that accept brotli, which every current one does.
    html_bytes = len(page.content)
    asset_bytes = {path.name: len(brotli.compress(path.read_bytes())) for path in assets}
    total = html_bytes + sum(asset_bytes.values())
    assert total <= BUDGET_BYTES, f"{total} bytes: HTML {html_bytes}, {asset_bytes}"
