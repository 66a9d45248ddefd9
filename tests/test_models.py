import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from techniques.models import SafetyTip, Status, Technique, TipKind
from tests.factories import StepFactory, TechniqueFactory

pytestmark = pytest.mark.django_db


def assert_rejected_by_database(**step_fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(**step_fields)


def test_step_order_is_unique_within_a_guide():
    guide = TechniqueFactory(steps=1)
    assert_rejected_by_database(technique=guide, order=1)
    StepFactory(technique=TechniqueFactory(steps=0), order=1)  # same order, other guide: fine


@pytest.mark.parametrize(
    "fields",
    [
        {"hold_seconds": 0},
        {"hold_seconds": 121},
        {"reps": 0},
        {"reps": 31},
        {"hold_seconds": None, "reps": None},
        {"order": 0},
    ],
)
def test_step_holds_and_reps_are_checked_by_the_database(fields):
    assert_rejected_by_database(technique=TechniqueFactory(steps=0), **fields)


def test_a_step_may_have_only_a_hold_or_only_reps():
    guide = TechniqueFactory(steps=0)
    StepFactory(technique=guide, order=1, hold_seconds=20, reps=None)
    StepFactory(technique=guide, order=2, hold_seconds=None, reps=8)
    assert guide.steps.count() == 2


def test_urgency_belongs_to_red_flags_only():
    guide = TechniqueFactory(steps=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyTip.objects.create(technique=guide, kind=TipKind.RED_FLAG, text="No urgency given")
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyTip.objects.create(technique=guide, kind=TipKind.DO, text="Move slowly", urgency="urgent")


def test_publishing_sets_the_published_date_and_the_database_requires_one():
    guide = TechniqueFactory(status=Status.DRAFT, steps=0)
    assert guide.published_at is None
    guide.status = Status.PUBLISHED
    guide.save()
    assert guide.published_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Technique.objects.filter(pk=guide.pk).update(published_at=None)


def test_published_excludes_drafts_and_future_publication_dates():
    live = TechniqueFactory(steps=0)
    TechniqueFactory(status=Status.DRAFT, steps=0)
    scheduled = TechniqueFactory(steps=0)
    Technique.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() + timedelta(days=1))
    assert list(Technique.objects.published()) == [live]


def test_unpublishing_hides_a_guide_again():
    guide = TechniqueFactory(steps=0)
    guide.status = Status.DRAFT
    guide.save()
    assert not Technique.objects.published().exists()


def test_review_overdue_uses_the_next_review_date():
    today = timezone.localdate()
    overdue = TechniqueFactory(steps=0, next_review_due=today - timedelta(days=1))
    TechniqueFactory(steps=0, next_review_due=today + timedelta(days=30))
    TechniqueFactory(steps=0, next_review_due=None)
    assert list(Technique.objects.review_overdue()) == [overdue]


def test_markdown_is_rendered_and_sanitised_on_save():
    step = StepFactory(instruction="Turn **gently** <script>alert(1)</script>")
    step.refresh_from_db()
    assert "<strong>gently</strong>" in step.instruction_html
    assert "<script" not in step.instruction_html


def test_step_links_to_its_anchor_on_the_guide_page():
    step = StepFactory(order=2, technique=TechniqueFactory(slug="cat-cow", steps=1))
    assert step.get_absolute_url() == "/guides/cat-cow/#step-2"


def test_numbered_citations_in_markdown_link_to_the_source_list():
    step = StepFactory(instruction="Rolling helps range of motion [2].")
    assert re.search(r'<a href="#source-2"[^>]*>\[2\]</a>', step.instruction_html)
