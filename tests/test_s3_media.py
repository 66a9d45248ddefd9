"""Media in S3-compatible object storage, as deployments with several app servers use it,
against a local S3-compatible server (moto's)."""

import re
import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from backrelief.media_storage import s3_media_storage
from techniques.models import Step
from tests.factories import TechniqueFactory
from tests.image_files import hostile_files, phone_photo, photo_bytes
from tests.test_images import upload_through_admin

pytestmark = pytest.mark.django_db

BUCKET = "backrelief-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local-test-secret")
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(bucket=BUCKET, endpoint_url=s3_server, region="us-east-1"),
    }
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys(s3) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_admin_upload_its_variants_and_the_share_card_go_to_the_bucket(
    bucket, s3_server, staff_client, client, django_capture_on_commit_callbacks
):
    guide = TechniqueFactory(slug="in-the-bucket", steps=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_through_admin(staff_client, guide, "photo.jpg", photo_bytes((1600, 1200)), "image/jpeg")
    assert response.status_code == 302
    step = Step.objects.get(technique=guide)
    stored = keys(bucket)
    assert step.image.name in stored
    variant_names = [name for entries in step.image_variants["formats"].values() for _, name in entries]
    assert set(variant_names) <= stored and any(name.endswith(".avif") for name in variant_names)
    guide.refresh_from_db()
    assert guide.share_card in stored

    head = bucket.head_object(Bucket=BUCKET, Key=variant_names[0])
    assert "immutable" in head["CacheControl"]

    html = client.get("/guides/in-the-bucket/").content.decode()
    assert f'srcset="{s3_server}/{BUCKET}/variants/' in html
    assert re.search(rf'<meta property="og:image" content="{s3_server}/{BUCKET}/share-cards/[^"]+\.png">', html)


def test_a_markdown_upload_goes_to_the_bucket_without_metadata(bucket, staff_client):
    response = staff_client.post(
        "/editor/markdown/upload/", {"image": SimpleUploadedFile("IMG_1.jpg", phone_photo(), "image/jpeg")}
    )
    assert response.status_code == 200
    stored = keys(bucket)
    (original,) = [key for key in stored if key.startswith("uploads/markdown/")]
    assert f"/{BUCKET}/{original}" in response.json()["image_code"]
    body = bucket.get_object(Bucket=BUCKET, Key=original)["Body"].read()
    assert b"PhoneMaker" not in body and b"Exif" not in body
    assert any(key.startswith("variants/") and key.endswith(".json") for key in stored)


@pytest.mark.parametrize("kind", ["SVG with script", "PNG named .html", "decompression bomb", "oversized file"])
def test_refused_uploads_put_nothing_in_the_bucket(bucket, staff_client, kind):
    filename, data, content_type = hostile_files()[kind]
    response = staff_client.post(
        "/editor/markdown/upload/", {"image": SimpleUploadedFile(filename, data, content_type)}
    )
    assert response.status_code == 400
    assert keys(bucket) == set()
