"""Every public page is valid HTML, as the Nu HTML Checker (the W3C validator's engine) reads it.

The checker is vnu.jar from the npm package vnu-jar (`make test` installs it with `npm ci`),
run by Java once over all the pages."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.site_pages import NOT_FOUND_PATH, UNLISTED_PAGES, sitemap_paths

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def checker_command() -> list[str]:
    """Java and the jar, or a failure that says how to install whichever is missing: a page
    that was never checked must not pass."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed, so the HTML checker cannot run. Run scripts/install-system-deps.sh "
            "(it installs default-jre-headless), or install any Java 11 or later."
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing. Install the npm tools with `make node_modules/.installed` (npm ci).")
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def save_pages(client, folder: Path) -> dict[str, str]:
    """Each page's HTML in a file of its own; returns the file URIs the checker reports, by path."""
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    pages = {path: 200 for path in sitemap_paths(sitemap.content.decode())}
    pages.update(UNLISTED_PAGES)
    pages[NOT_FOUND_PATH] = 404
    names = {}
    for index, (path, status) in enumerate(pages.items()):
        response = client.get(path)
        assert response.status_code == status, path
        file = folder / f"{index:02d}{path.replace('/', '_')}.html"
        file.write_bytes(response.content)
        names[file.as_uri()] = path
    return names


def test_every_public_page_is_valid_html(client, seeded, tmp_path):
    command = checker_command()
    pages = save_pages(client, tmp_path)
    files = [uri.removeprefix("file://") for uri in pages]
    result = subprocess.run([*command, *files], capture_output=True, text=True, timeout=300)
    # The checker writes its JSON report to standard error.
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The HTML checker failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    problems = [
        f"{pages.get(message.get('url', '').replace('file:/', 'file:///', 1), message.get('url'))} "
        f"line {message.get('lastLine', '?')}: {message.get('message')}\n    {message.get('extract', '').strip()}"
        for message in messages
        if message.get("type") in {"error", "non-document-error"}
    ]
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
    assert result.returncode == 0, result.stderr
