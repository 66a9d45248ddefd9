import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREVIEW = "/editor/markdown/preview/"
UPLOAD = "/editor/markdown/upload/"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_and_non_staff_users_are_refused(client, url, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png")}
    assert client.post(url, {"content": "# hi", **upload}).status_code == 403
    client.force_login(UserFactory())
    upload = {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png")}
    assert client.post(url, {"content": "# hi", **upload}).status_code == 403
    assert list(tmp_path.rglob("*.*")) == []


def test_preview_is_sanitised_for_staff(staff_client):
    response = staff_client.post(PREVIEW, {"content": "**bold** <img src=x onerror=alert(1)> [x](javascript:alert(1))"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "onerror" not in html and "javascript:" not in html


def test_preview_without_content_is_not_an_error(staff_client):
    assert staff_client.post(PREVIEW, {}).status_code == 200


def test_preview_rejects_get(staff_client):
    assert staff_client.get(PREVIEW).status_code == 405


def test_staff_upload_stores_a_cleaned_image(staff_client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    # The Content-Type the browser claims is ignored: the contents decide.
    response = staff_client.post(UPLOAD, {"image": SimpleUploadedFile("photo.jpg", png_bytes(), "text/html")})
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](/media/uploads/markdown/")
    stored = list((tmp_path / "uploads" / "markdown").glob("*.png"))
    assert len(stored) == 1 and stored[0].name != "photo.jpg"


def test_staff_without_permission_to_change_guides_or_steps_cannot_upload(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(UserFactory(is_staff=True))
    upload = {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png")}
    response = client.post(UPLOAD, upload)
    assert response.status_code == 403
    assert "permission to change guides" in response.content.decode()
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize(
    "permission",
    ["techniques.change_technique", "techniques.change_step", "techniques.change_page", "routines.change_routine"],
)
def test_permission_to_change_markdown_content_allows_uploads(client, tmp_path, settings, permission):
    settings.MEDIA_ROOT = tmp_path
    editor = UserFactory(is_staff=True)
    app_label, codename = permission.split(".")
    editor.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    client.force_login(editor)
    response = client.post(UPLOAD, {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png")})
    assert response.status_code == 200, response.content
    assert list((tmp_path / "uploads" / "markdown").glob("*.png"))
