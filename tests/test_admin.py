import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from techniques.models import Status, Step, Technique
from tests.admin_forms import change_form_data
from tests.factories import TechniqueFactory

pytestmark = pytest.mark.django_db


def test_admin_change_of_a_step_is_saved_and_shown_on_the_site(staff_client, client):
    guide = TechniqueFactory(slug="cat-cow", steps=3)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data["steps-1-instruction"] = "Round your back **slowly**, like a cat."
    data["steps-1-hold_seconds"] = "5"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    step = guide.steps.get(order=2)
    assert step.hold_seconds == 5
    assert "<strong>slowly</strong>" in step.instruction_html
    assert "Round your back <strong>slowly</strong>" in client.get("/guides/cat-cow/").content.decode()


def test_admin_can_swap_the_order_of_two_steps(staff_client):
    guide = TechniqueFactory(steps=2)
    first, second = guide.steps.order_by("order")
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data["steps-0-order"], data["steps-1-order"] = "2", "1"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert list(guide.steps.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_admin_refuses_a_step_with_neither_hold_nor_reps(staff_client):
    guide = TechniqueFactory(steps=1)
    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    data.pop("steps-0-hold_seconds")
    data.pop("steps-0-reps")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Give a hold in seconds, a number of repetitions, or both." in response.content.decode()
    assert Step.objects.get(technique=guide).hold_seconds == 10


def test_admin_list_shows_step_counts_and_filters_overdue_reviews(staff_client):
    TechniqueFactory(title="Overdue guide", steps=4, next_review_due="2020-01-01")
    TechniqueFactory(title="Fresh guide", steps=2, next_review_due="2999-01-01")
    changelist = reverse("admin:techniques_technique_changelist")
    response = staff_client.get(changelist)
    assert response.status_code == 200
    overdue = staff_client.get(changelist, {"review": "overdue"}).content.decode()
    assert "Overdue guide" in overdue and "Fresh guide" not in overdue


def test_publish_and_unpublish_actions(staff_client):
    draft = TechniqueFactory(status=Status.DRAFT)
    changelist = reverse("admin:techniques_technique_changelist")
    staff_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert Technique.objects.published().filter(pk=draft.pk).exists()
    staff_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert not Technique.objects.published().filter(pk=draft.pk).exists()


@pytest.mark.parametrize("model", ["technique", "safetytip", "source", "page", "equipment", "bodyarea"])
def test_admin_pages_open(staff_client, seeded, model):
    response = staff_client.get(reverse(f"admin:techniques_{model}_changelist"))
    assert response.status_code == 200
    response = staff_client.get(reverse(f"admin:techniques_{model}_add"))
    assert response.status_code == 200


def test_editor_replaces_a_drawing_with_an_upload_and_switches_back(staff_client, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    guide = TechniqueFactory(slug="pictured", steps=1)
    Step.objects.filter(technique=guide).update(illustration="cat-cow-1")
    assert "illustrations/steps/cat-cow-1.svg" in client.get("/guides/pictured/").content.decode()

    url = reverse("admin:techniques_technique_change", args=[guide.pk])
    data = change_form_data(staff_client.get(url))
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(photo, "JPEG")
    data["steps-0-image"] = SimpleUploadedFile("phone.jpg", photo.getvalue(), "image/jpeg")
    assert staff_client.post(url, data).status_code == 302
    page = client.get("/guides/pictured/").content.decode()
    assert "/media/steps/" in page and "cat-cow-1.svg" not in page
    assert 'width="640" height="480"' in page
    assert "the site&#x27;s drawing" not in staff_client.get(url).content.decode()

    data = change_form_data(staff_client.get(url))
    data["steps-0-image-clear"] = "on"
    assert staff_client.post(url, data).status_code == 302
    assert "illustrations/steps/cat-cow-1.svg" in client.get("/guides/pictured/").content.decode()
