"""The image pipeline: safe uploads on every path, responsive variants, credits, media serving."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from techniques.images.variants import WIDTHS
from techniques.models import Step, Technique
from tests.admin_forms import change_form_data
from tests.factories import TechniqueFactory
from tests.image_files import EXIF_GPS_IFD, hostile_files, image_bytes, phone_photo, photo_bytes

pytestmark = pytest.mark.django_db

UPLOAD = "/editor/markdown/upload/"
HOSTILE = hostile_files()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def upload_through_admin(staff_client, guide, filename, data, content_type, **fields):
    """Post the guide's admin change form with a new image on its first step."""
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    form = change_form_data(staff_client.get(url))
    form["steps-0-image"] = SimpleUploadedFile(filename, data, content_type)
    form["steps-0-image_alt"] = "Person kneeling on a mat with a rounded back"
    form.update({f"steps-0-{name}": value for name, value in fields.items()})
    return staff_client.post(url, form)


# Every upload path: the admin's image field and the markdown editor's upload.


@pytest.mark.parametrize("kind", HOSTILE)
def test_markdown_upload_refuses_hostile_files_and_stores_nothing(staff_client, media, kind):
    filename, data, content_type = HOSTILE[kind]
    response = staff_client.post(UPLOAD, {"image": SimpleUploadedFile(filename, data, content_type)})
    assert response.status_code == 400
    message = response.json()["image"][0]
    assert message and "Traceback" not in message
    assert stored_files(media) == set()


@pytest.mark.parametrize("kind", HOSTILE)
def test_admin_image_field_refuses_hostile_files_and_stores_nothing(staff_client, media, kind):
    guide = TechniqueFactory(steps=1)
    before = stored_files(media)
    filename, data, content_type = HOSTILE[kind]
    response = upload_through_admin(staff_client, guide, filename, data, content_type)
    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["image"], errors
    assert stored_files(media) == before
    assert not Step.objects.get(technique=guide).image


def test_refusals_say_what_is_wrong(staff_client, media):
    def message(kind):
        filename, data, content_type = HOSTILE[kind]
        return staff_client.post(UPLOAD, {"image": SimpleUploadedFile(filename, data, content_type)}).json()["image"][0]

    assert "more pixels than" in message("decompression bomb")
    assert "damaged or incomplete" in message("truncated JPEG")
    assert "empty" in message("empty file")
    assert "the limit is 5.0" in message("oversized file")
    assert ".html is not an image" in message("PNG named .html")
    assert "JPEG, PNG, WebP or AVIF" in message("PDF named .jpg")


@pytest.mark.parametrize("fmt,extension", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("AVIF", "avif")])
def test_every_accepted_format_is_stored_under_a_random_name_with_its_own_extension(
    staff_client, media, fmt, extension
):
    # Named .jpeg whatever it is: the stored extension comes from decoding.
    upload = SimpleUploadedFile("My Photo.jpeg", image_bytes(fmt=fmt), "application/octet-stream")
    response = staff_client.post(UPLOAD, {"image": upload})
    assert response.status_code == 200
    (original,) = [name for name in stored_files(media) if name.startswith("uploads/markdown/")]
    assert original.endswith(f".{extension}") and "My Photo" not in original
    assert Image.open(media / original).format == fmt


# Phone photos: upright, and nothing about the phone or the place left in the file.


def assert_upright_without_metadata(path: Path):
    image = Image.open(path)
    assert image.size == (30, 60)  # turned from 60×30 landscape pixels to portrait
    red, green, _ = image.convert("RGB").getpixel((15, 2))
    assert red > 200 and green < 80, "the band on the left of the stored pixels is now at the top"
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(EXIF_GPS_IFD)
    assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
    assert b"PhoneMaker" not in path.read_bytes()


def test_admin_upload_of_a_phone_photo_comes_out_upright_without_metadata(staff_client, media):
    guide = TechniqueFactory(steps=1)
    response = upload_through_admin(staff_client, guide, "IMG_0001.JPG", phone_photo(), "image/jpeg")
    assert response.status_code == 302
    step = Step.objects.get(technique=guide)
    assert (step.image_width, step.image_height) == (30, 60)
    assert_upright_without_metadata(media / step.image.name)
    for _, name in step.image_variants["formats"]["image/webp"]:
        assert not Image.open(media / name).getexif()


def test_markdown_upload_of_a_phone_photo_comes_out_upright_without_metadata(staff_client, media):
    response = staff_client.post(UPLOAD, {"image": SimpleUploadedFile("IMG_0002.jpg", phone_photo(), "image/jpeg")})
    assert response.status_code == 200
    url = re.search(r"\((/media/[^)]+)\)", response.json()["image_code"]).group(1)
    assert_upright_without_metadata(media / url.removeprefix("/media/"))


# Responsive variants, made once when the image is saved.


def test_variants_are_made_on_save_at_several_widths_and_never_larger_than_the_original(staff_client, media):
    guide = TechniqueFactory(steps=2)
    assert (
        upload_through_admin(staff_client, guide, "wide.jpg", photo_bytes((2000, 1500)), "image/jpeg").status_code
        == 302
    )
    step = Step.objects.get(technique=guide, order=1)
    manifest = step.image_variants
    assert (manifest["width"], manifest["height"]) == (2000, 1500)
    original_size = (media / step.image.name).stat().st_size
    for mime in ("image/avif", "image/webp", "image/jpeg"):
        widths = [width for width, _ in manifest["formats"][mime]]
        assert widths == list(WIDTHS), mime
        for width, name in manifest["formats"][mime]:
            variant = Image.open(media / name)
            assert variant.size == (width, round(1500 * width / 2000))
            assert variant.format == {"image/avif": "AVIF", "image/webp": "WEBP", "image/jpeg": "JPEG"}[mime]
            assert (media / name).stat().st_size < original_size


def test_small_images_are_never_upscaled(staff_client, media):
    guide = TechniqueFactory(steps=1)
    assert (
        upload_through_admin(staff_client, guide, "small.png", photo_bytes((300, 200)), "image/png").status_code == 302
    )
    manifest = Step.objects.get(technique=guide).image_variants
    for entries in manifest["formats"].values():
        assert all(width <= 300 for width, _ in entries)


def test_a_guide_page_offers_modern_formats_with_sizes_and_loads_only_the_first_image_eagerly(
    staff_client, client, media
):
    guide = TechniqueFactory(slug="photographed", steps=2)
    assert (
        upload_through_admin(staff_client, guide, "a.jpg", photo_bytes((1600, 1200)), "image/jpeg").status_code == 302
    )
    second = guide.steps.get(order=2)
    second.image = SimpleUploadedFile("b.jpg", photo_bytes((1200, 900)))
    second.image_alt = "Person seated, turning to the left"
    second.save()

    html = client.get("/guides/photographed/").content.decode()
    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 2
    for picture in pictures:
        avif = picture.index('<source type="image/avif"')
        assert avif < picture.index('<source type="image/webp"') < picture.index("<img")
        assert "480w" in picture and 'sizes="' in picture
        img = re.search(r"<img [^>]+>", picture).group(0)
        assert re.search(r'alt="[^"]+"', img) and re.search(r'width="\d+" height="\d+"', img)
    assert 'fetchpriority="high"' in pictures[0] and 'loading="lazy"' not in pictures[0]
    assert 'loading="lazy"' in pictures[1]


def test_the_page_does_no_image_work_per_request(staff_client, client, media, monkeypatch):
    guide = TechniqueFactory(slug="once", steps=1)
    upload_through_admin(staff_client, guide, "a.jpg", photo_bytes((1000, 800)), "image/jpeg")

    def refuse(*args, **kwargs):
        raise AssertionError("variants are made when an image is saved, not when a page is shown")

    monkeypatch.setattr("techniques.images.variants.make_variants", refuse)
    monkeypatch.setattr(Image, "open", refuse)
    assert "<picture>" in client.get("/guides/once/").content.decode()


def test_make_image_variants_makes_them_for_images_saved_without(staff_client, client, media):
    from django.core.management import call_command

    guide = TechniqueFactory(slug="older", steps=1)
    upload_through_admin(staff_client, guide, "a.jpg", photo_bytes((1000, 800)), "image/jpeg")
    Step.objects.filter(technique=guide).update(image_variants={})
    assert "<picture>" not in client.get("/guides/older/").content.decode()
    call_command("make_image_variants", stdout=io.StringIO())
    assert "<picture>" in client.get("/guides/older/").content.decode()


# Alt text and credits.


def test_an_uploaded_image_needs_alt_text(staff_client, media):
    guide = TechniqueFactory(steps=1)
    response = upload_through_admin(staff_client, guide, "a.jpg", photo_bytes((400, 300)), "image/jpeg", image_alt="  ")
    assert response.status_code == 200
    assert "Describe the position" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not Step.objects.get(technique=guide).image


def test_a_credit_is_shown_under_the_image(staff_client, client, media):
    guide = TechniqueFactory(slug="credited", steps=1)
    response = upload_through_admin(
        staff_client,
        guide,
        "a.jpg",
        photo_bytes((400, 300)),
        "image/jpeg",
        image_credit_author="Sam Lee",
        image_credit_licence="CC BY 4.0",
        image_credit_url="https://example.org/photos/42",
    )
    assert response.status_code == 302
    html = client.get("/guides/credited/").content.decode()
    caption = re.search(r'<figcaption class="credit">(.*?)</figcaption>', html, re.S).group(1)
    assert "Sam Lee" in caption and "CC BY 4.0" in caption
    assert 'href="https://example.org/photos/42"' in caption


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a.jpg", "data:text/html,hi"])
def test_a_credit_link_must_be_http_or_https(staff_client, media, url):
    guide = TechniqueFactory(steps=1)
    response = upload_through_admin(
        staff_client, guide, "a.jpg", photo_bytes((400, 300)), "image/jpeg", image_credit_url=url
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["image_credit_url"]
    assert not Step.objects.get(technique=guide).image


# Images in markdown.


def test_markdown_images_need_alt_text_and_must_be_uploaded_here(staff_client, media):
    guide = TechniqueFactory(steps=1)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    for markdown, expected in [
        ("![](/media/uploads/markdown/x.png)", "has no alt text"),
        ("![A chart](https://elsewhere.example/chart.png)", "is not one uploaded here"),
        ('<img src="/media/uploads/markdown/x.png">', "has no alt text"),
    ]:
        form = change_form_data(staff_client.get(url))
        form["steps-0-instruction"] = markdown
        response = staff_client.post(url, form)
        assert response.status_code == 200
        assert expected in str(response.context["inline_admin_formsets"][0].formset.errors), markdown


def test_an_uploaded_markdown_image_is_shown_with_its_variants(staff_client, client, media):
    response = staff_client.post(
        UPLOAD, {"image": SimpleUploadedFile("chart.png", photo_bytes((1200, 800)), "image/png")}
    )
    image_code = response.json()["image_code"]
    assert image_code.startswith("![](")  # the editor writes the alt text
    guide = TechniqueFactory(slug="with-chart", steps=1)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    form = change_form_data(staff_client.get(url))
    form["intro"] = image_code.replace("![](", "![Chart of stiffness easing over a week](")
    assert staff_client.post(url, form).status_code == 302
    html = client.get("/guides/with-chart/").content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S).group(0)
    assert '<source type="image/avif"' in picture and 'alt="Chart of stiffness easing over a week"' in picture
    assert 'width="1200" height="800"' in picture


# Serving media.


def test_media_is_served_with_a_long_cache_life_and_nosniff(client, media):
    name = default_storage.save("variants/sample-480.avif", io.BytesIO(image_bytes(fmt="AVIF")))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/avif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["variants/sample.json", "../settings.py", "uploads/missing.png", "%2e%2e/x.png"])
def test_media_outside_the_images_is_not_served(client, media, path):
    default_storage.save("variants/sample.json", io.BytesIO(b"{}"))
    assert client.get(f"/media/{path}").status_code in (400, 404)


class PageImages(HTMLParser):
    """Each <img> of a page with its attributes and the types its <picture> offers."""

    def __init__(self):
        super().__init__()
        self.images: list[tuple[dict, list[str]]] = []
        self.source_types: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self.source_types = []
        elif tag == "source" and self.source_types is not None:
            self.source_types.append(attrs.get("type", ""))
        elif tag == "img":
            self.images.append((attrs, list(self.source_types or [])))

    def handle_endtag(self, tag):
        if tag == "picture":
            self.source_types = None


def test_every_image_on_every_public_page_has_alt_and_size_and_rasters_offer_modern_formats(
    seeded, staff_client, client, media
):
    guide = Technique.objects.published().order_by("title").first()
    assert (
        upload_through_admin(staff_client, guide, "a.jpg", photo_bytes((1600, 1200)), "image/jpeg").status_code == 302
    )
    urls = ["/", "/guides/", "/safety/", "/what-is-the-pop/", "/sources/", "/about/"]
    urls += [g.get_absolute_url() for g in Technique.objects.published()]
    rasters = 0
    for url in urls:
        parser = PageImages()
        parser.feed(client.get(url).content.decode())
        for attrs, source_types in parser.images:
            assert attrs.get("alt", "").strip(), (url, attrs)
            assert attrs.get("width", "").isdigit() and attrs.get("height", "").isdigit(), (url, attrs)
            if not attrs["src"].endswith(".svg"):
                rasters += 1
                assert {"image/avif", "image/webp"} <= set(source_types), (url, attrs)
                assert " 480w" in attrs["srcset"]
    assert rasters == 1


def test_avif_is_offered_only_when_smaller_than_webp(media, monkeypatch):
    from techniques.images import variants

    name = default_storage.save("steps/photo.jpg", io.BytesIO(photo_bytes((1000, 750))))
    assert "image/avif" in variants.make_variants(name)["formats"]

    real_encode = variants.encode

    def bulky_avif(image, encoding):
        # An AVIF one byte larger than the WebP of the same copy.
        if encoding is variants.AVIF:
            return real_encode(image, variants.WEBP) + b"\0"
        return real_encode(image, encoding)

    monkeypatch.setattr(variants, "encode", bulky_avif)
    formats = variants.make_variants(name)["formats"]
    assert "image/avif" not in formats and "image/webp" in formats
